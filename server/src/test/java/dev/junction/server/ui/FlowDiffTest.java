package dev.junction.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.server.ui.FlowDiff.Kind;
import dev.junction.server.ui.FlowDiff.Line;
import org.junit.jupiter.api.Test;

class FlowDiffTest {
    @Test
    void marksAddedAndRemovedLinesByTheirPrefix() {
        FlowDiff diff = FlowDiff.of("version 1", "a\nb\nc\n", "version 2", "a\nB\nc\nd\n");

        assertThat(diff.same()).isFalse();
        assertThat(diff.lines())
                .containsExactly(
                        new Line(Kind.FILE, "--- version 1"),
                        new Line(Kind.FILE, "+++ version 2"),
                        new Line(Kind.HUNK, "@@ -1,3 +1,4 @@"),
                        new Line(Kind.SAME, " a"),
                        new Line(Kind.REMOVED, "-b"),
                        new Line(Kind.ADDED, "+B"),
                        new Line(Kind.SAME, " c"),
                        new Line(Kind.ADDED, "+d"));
    }

    @Test
    void aRemovedLineThatLooksLikeAFileHeaderIsStillRemoved() {
        FlowDiff diff = FlowDiff.of("v1", "keep\n-- x\n", "v2", "keep\n");

        assertThat(diff.lines()).contains(new Line(Kind.REMOVED, "--- x"));
    }

    @Test
    void equalSourcesHaveNoChanges() {
        assertThat(FlowDiff.of("v1", "a\n", "v2", "a\n").same()).isTrue();
    }

    @Test
    void keepsOnlyThreeLinesOfContextAroundAChange() {
        String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        String after = "1\n2\n3\n4\n5\n6\n7\n8\nnine\n";

        assertThat(FlowDiff.of("v1", before, "v2", after).lines())
                .extracting(Line::text)
                .containsExactly("--- v1", "+++ v2", "@@ -6,4 +6,4 @@", " 6", " 7", " 8", "-9", "+nine");
    }
}
