package dev.junction.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the node's JVM runs Junction: the packaged jar as it is ({@code --jar}, or when there is no
 * start-up cache), or as {@code ./junction start} runs it, the extracted jar with the JDK AOT cache
 * the launcher made under {@code server/target/run/} and Spring's ahead-of-time bean definitions.
 */
record Launch(List<String> arguments, String description) {

    static Launch jar(Path jar) {
        return new Launch(List.of("-jar", jar.toString()), "java -jar " + jar);
    }

    /** The launcher's start-up cache in {@code dir}, when it is complete. */
    static Optional<Launch> startupCache(Path dir) {
        Path cache = dir.resolve("app.aot");
        Path jar = dir.resolve("app").resolve("junction-server.jar");
        if (!Files.exists(dir.resolve("stamp")) || !Files.isRegularFile(cache) || !Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        return Optional.of(new Launch(
                List.of("-XX:AOTCache=" + cache, "-Dspring.aot.enabled=true", "-jar", jar.toString()),
                "as ./junction start runs it: the extracted jar with the JDK AOT cache in " + dir));
    }

    /** The command line: {@code java}, the given options, then this launch's own arguments. */
    List<String> command(Path java, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(options);
        command.addAll(arguments);
        return command;
    }
}
