package dev.junction.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** Where the node spent its CPU: execution samples of a Flight Recording, by top frame and by area. */
final class Profile {
    private Profile() {}

    static String summary(Path recording, int top) throws IOException {
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Map<String, Integer>> entries = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame first = frames.getFirst();
            String type = first.getMethod().getType().getName();
            methods.merge(type + "." + first.getMethod().getName(), 1, Integer::sum);
            String area = area(frames);
            areas.merge(area, 1, Integer::sum);
            entries.computeIfAbsent(area, a -> new HashMap<>()).merge(entry(frames, area), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        out.append("CPU samples: ")
                .append(samples)
                .append("\n\nBy area (the first frame of ours or of a known library, from the top):\n");
        int total = Math.max(1, samples);
        areas.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(a -> {
                    out.append("  %5.1f %%  %s%n".formatted(100.0 * a.getValue() / total, a.getKey()));
                    entries.getOrDefault(a.getKey(), Map.of()).entrySet().stream()
                            .sorted(Map.Entry.<String, Integer>comparingByValue()
                                    .reversed())
                            .limit(3)
                            .forEach(m -> out.append("           %5.1f %%  in %s%n"
                                    .formatted(100.0 * m.getValue() / total, m.getKey())));
                });
        out.append("\nHottest methods (top frame):\n");
        methods.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(m -> out.append("  %5.1f %%  %s%n".formatted(100.0 * m.getValue() / total, m.getKey())));
        return out.toString();
    }

    private static final List<String[]> AREAS = List.of(
            new String[] {"org.sqlite.", "SQLite (JDBC + native)"},
            new String[] {"org.postgresql.", "PostgreSQL driver"},
            new String[] {"com.zaxxer.hikari.", "connection pool"},
            new String[] {"com.dashjoin.jsonata.", "JSONata"},
            new String[] {"tools.jackson.", "Jackson (JSON)"},
            new String[] {"com.fasterxml.jackson.", "Jackson (JSON)"},
            new String[] {"dev.junction.store.", "Junction store"},
            new String[] {"dev.junction.engine.", "Junction engine"},
            new String[] {"dev.junction.server.", "Junction server"},
            new String[] {"org.apache.tomcat.", "Tomcat"},
            new String[] {"org.apache.coyote.", "Tomcat"},
            new String[] {"org.apache.catalina.", "Tomcat"},
            new String[] {"org.springframework.", "Spring MVC"},
            new String[] {"org.apache.hc.", "Apache HttpClient"},
            new String[] {"jdk.internal.net.http.", "JDK HttpClient"},
            new String[] {"java.net.http.", "JDK HttpClient"},
            new String[] {"sun.nio.", "JDK network I/O"},
            new String[] {"java.util.concurrent.", "JDK concurrency"});

    /** The deepest frame of the area's own code in the stack's top run of that area: where it was called for. */
    private static String entry(List<RecordedFrame> frames, String area) {
        String found = null;
        boolean inside = false;
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            String a = areaOf(type);
            if (area.equals(a)) {
                inside = true;
                found = type.substring(type.lastIndexOf('.') + 1) + "."
                        + f.getMethod().getName();
            } else if (inside && a != null) {
                break;
            }
        }
        return found == null ? "(no frame of its own)" : found;
    }

    private static String areaOf(String type) {
        for (String[] a : AREAS) {
            if (type.startsWith(a[0])) {
                return a[1];
            }
        }
        return null;
    }

    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            for (String[] a : AREAS) {
                if (type.startsWith(a[0])) {
                    return a[1];
                }
            }
        }
        return "other (JDK)";
    }
}
