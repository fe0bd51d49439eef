package dev.junction.server.ui;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The unified diff between two versions of a flow's source, line by line, for the web UI: each
 * line keeps its {@code +}, {@code -} or space prefix (so a change is never shown by colour alone)
 * and says which kind it is, for the template's {@code <ins>} and {@code <del>}.
 */
public record FlowDiff(String from, String to, List<Line> lines) {
    private static final int CONTEXT = 3;

    public FlowDiff {
        lines = List.copyOf(lines);
    }

    public enum Kind {
        /** {@code --- name} or {@code +++ name}. */
        FILE,
        /** {@code @@ -a,b +c,d @@}. */
        HUNK,
        ADDED,
        REMOVED,
        SAME
    }

    /** One line of the diff, prefix included. */
    public record Line(Kind kind, String text) {}

    /** The diff from {@code before} (named {@code from}) to {@code after} (named {@code to}). */
    public static FlowDiff of(String from, String before, String to, String after) {
        List<String> original = before.lines().toList();
        List<String> revised = after.lines().toList();
        List<String> unified =
                UnifiedDiffUtils.generateUnifiedDiff(from, to, original, DiffUtils.diff(original, revised), CONTEXT);
        // only the first two lines name the files: a removed line "-- x" also reads "--- x"
        return new FlowDiff(
                from,
                to,
                IntStream.range(0, unified.size())
                        .mapToObj(i -> line(unified.get(i), i < 2))
                        .toList());
    }

    /** Whether the two sources are the same. */
    public boolean same() {
        return lines.stream().noneMatch(l -> l.kind() == Kind.ADDED || l.kind() == Kind.REMOVED);
    }

    private static Line line(String text, boolean header) {
        Kind kind;
        if (header && (text.startsWith("+++ ") || text.startsWith("--- "))) {
            kind = Kind.FILE;
        } else if (text.startsWith("@@")) {
            kind = Kind.HUNK;
        } else if (text.startsWith("+")) {
            kind = Kind.ADDED;
        } else if (text.startsWith("-")) {
            kind = Kind.REMOVED;
        } else {
            kind = Kind.SAME;
        }
        return new Line(kind, text);
    }
}
