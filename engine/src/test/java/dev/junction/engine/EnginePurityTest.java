package dev.junction.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine depends on neither Spring nor JDBC: every class it compiles to is checked. */
class EnginePurityTest {
    private static final List<String> FORBIDDEN = List.of("org/springframework/", "java/sql/", "javax/sql/");

    @Test
    void engineClassesReferenceNeitherSpringNorJdbc() throws IOException {
        Path classes = Path.of("target/classes");
        assertThat(classes).isDirectory();
        List<String> violations = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                checked++;
                for (PoolEntry entry : ClassFile.of().parse(file).constantPool()) {
                    if (entry instanceof ClassEntry c
                            && FORBIDDEN.stream()
                                    .anyMatch(f -> c.asInternalName().contains(f))) {
                        violations.add(classes.relativize(file) + " uses " + c.asInternalName());
                    }
                }
            }
        }
        assertThat(checked).as("engine classes checked").isGreaterThan(20);
        assertThat(violations).isEmpty();
    }
}
