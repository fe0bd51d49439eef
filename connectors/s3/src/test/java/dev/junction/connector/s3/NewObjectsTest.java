package dev.junction.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.connector.s3.NewObjects.Cursor;
import dev.junction.connector.s3.NewObjects.Decision;
import dev.junction.connector.s3.NewObjects.Entry;
import dev.junction.engine.connector.OperationInput;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The newObjects decision on its own: ties at the watermark, late arrivals, overwrites, the cursor's size. */
class NewObjectsTest {
    private static final long T = 1_700_000_000_000L;
    private static final long OVERLAP = 600_000;

    private static Entry e(String key, long time, String etag) {
        return new Entry(key, time, etag, 1);
    }

    private static List<String> keys(Decision d) {
        return d.emit().stream().map(Entry::key).toList();
    }

    @Test
    void objectsSharingTheWatermarkSecondAreEachEmittedOnceAcrossPages() {
        List<Entry> listing = List.of(e("a", T, "1"), e("b", T, "2"), e("c", T, "3"));
        Decision first = NewObjects.decide(listing, new Cursor(Cursor.NONE, Set.of()), OVERLAP, 2);
        assertThat(keys(first)).containsExactly("a", "b");
        assertThat(first.more()).isTrue();
        Decision second = NewObjects.decide(listing, first.next(), OVERLAP, 2);
        assertThat(keys(second)).containsExactly("c");
        assertThat(NewObjects.decide(listing, second.next(), OVERLAP, 2).emit()).isEmpty();
    }

    @Test
    void aLateObjectWithinTheOverlapIsFoundAndOneBelowItIsNot() {
        Decision first = NewObjects.decide(List.of(e("new", T, "1")), new Cursor(Cursor.NONE, Set.of()), OVERLAP, 100);
        List<Entry> later = List.of(e("new", T, "1"), e("late", T - 60_000, "2"), e("ancient", T - OVERLAP - 1, "3"));
        assertThat(keys(NewObjects.decide(later, first.next(), OVERLAP, 100))).containsExactly("late");
    }

    @Test
    void anOverwrittenObjectIsNewAgainAndTheCursorForgetsWhatIsGoneOrOld() {
        Decision first = NewObjects.decide(
                List.of(e("a", T, "1"), e("b", T + 1000, "2")), new Cursor(Cursor.NONE, Set.of()), 0, 100);
        assertThat(first.next().watermark()).isEqualTo(T + 1000);
        assertThat(first.next().seen())
                .as("overlap 0: only the keys at the watermark")
                .containsExactly(e("b", T + 1000, "2").identity());
        Decision second =
                NewObjects.decide(List.of(e("a", T + 5000, "9"), e("b", T + 1000, "2")), first.next(), 0, 100);
        assertThat(keys(second)).containsExactly("a");
        assertThat(second.next().seen()).containsExactly(e("a", T + 5000, "9").identity());
    }

    @Test
    void theCursorSurvivesItsJsonForm() throws Exception {
        Decision d = NewObjects.decide(List.of(e("a", T, "x")), new Cursor(Cursor.NONE, Set.of()), OVERLAP, 10);
        Map<String, Object> json = d.next().toJson();
        Cursor back = Cursor.fromJson(OperationInput.of("s3", "newObjects", Map.of("cursor", json)));
        assertThat(back).isEqualTo(d.next());
        assertThat(Cursor.fromJson(OperationInput.of("s3", "newObjects", Map.of()))
                        .toJson())
                .containsEntry("watermark", null);
    }
}
