package dev.junction.engine.run;

import java.util.List;

/** One page of a listing and the cursor of the next page ({@code null} on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
