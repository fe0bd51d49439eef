package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.NewVersion;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link FlowRepository} must do. A backend's test extends this and supplies it. */
public abstract class FlowRepositoryContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected abstract FlowRepository repository();

    private final String flow = "f-" + UUID.randomUUID().toString().substring(0, 8);
    private final String path = "p-" + UUID.randomUUID().toString().substring(0, 8);

    private NewVersion version(String flowId, String source, String webhookPath) {
        return new NewVersion(
                "default",
                flowId,
                "Name",
                source,
                SourceFormat.YAML,
                webhookPath == null ? "manual" : "webhook",
                webhookPath == null ? null : "POST",
                webhookPath,
                T0);
    }

    private static ErrorCode code(Throwable e) {
        return ((JunctionException) e).code();
    }

    @Test
    void versionsAreNumberedAndImmutable() {
        repository().save(version(flow, "v1", path), 0);
        repository().save(version(flow, "v2", path), 1);
        assertThat(repository().find("default", flow).orElseThrow().latestVersion())
                .isEqualTo(2);
        assertThat(repository().version("default", flow, 1).orElseThrow().source())
                .isEqualTo("v1");
        assertThat(repository().versions("default", flow))
                .extracting(FlowRepository.FlowVersion::version)
                .containsExactly(2, 1);
    }

    @Test
    void refusesToCreateTwiceOrToUpdateAStaleVersion() {
        repository().save(version(flow, "v1", null), 0);
        assertThatThrownBy(() -> repository().save(version(flow, "again", null), 0))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.FLOW_CONFLICT));
        repository().save(version(flow, "v2", null), 1);
        assertThatThrownBy(() -> repository().save(version(flow, "stale", null), 1))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.FLOW_CONFLICT));
        assertThat(repository().versions("default", flow)).hasSize(2);
        assertThatThrownBy(() -> repository().save(version("missing-" + flow, "x", null), 3))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.FLOW_NOT_FOUND));
    }

    @Test
    void aWebhookRouteBelongsToOneEnabledFlow() {
        repository().save(version(flow, "v1", path), 0);
        assertThat(repository()
                        .findWebhook("default", "POST", path)
                        .orElseThrow()
                        .flowId())
                .isEqualTo(flow);
        assertThatThrownBy(() -> repository().save(version(flow + "-b", "v1", path), 0))
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.FLOW_CONFLICT));
        assertThat(repository().find("default", flow + "-b")).isEmpty();
        assertThat(repository().disable("default", flow)).isTrue();
        assertThat(repository().findWebhook("default", "POST", path)).isEmpty();
        repository().save(version(flow + "-b", "v1", path), 0);
        assertThat(repository()
                        .findWebhook("default", "POST", path)
                        .orElseThrow()
                        .flowId())
                .isEqualTo(flow + "-b");
    }

    @Test
    void aWebhookRouteFollowsEveryNewVersionAtOnce() {
        repository().save(version(flow, "v1", path), 0);
        assertThat(repository()
                        .findWebhook("default", "POST", path)
                        .orElseThrow()
                        .latestVersion())
                .isEqualTo(1);
        repository().save(version(flow, "v2", path), 1);
        assertThat(repository()
                        .findWebhook("default", "POST", path)
                        .orElseThrow()
                        .latestVersion())
                .isEqualTo(2);
        repository().save(version(flow, "v3", path + "-moved"), 2);
        assertThat(repository().findWebhook("default", "POST", path)).isEmpty();
        assertThat(repository()
                        .findWebhook("default", "POST", path + "-moved")
                        .orElseThrow()
                        .latestVersion())
                .isEqualTo(3);
    }

    @Test
    void anotherWorkspaceSeesNothing() {
        repository().save(version(flow, "v1", path), 0);
        assertThat(repository().find("other", flow)).isEmpty();
        assertThat(repository().version("other", flow, 1)).isEmpty();
        assertThat(repository().findWebhook("other", "POST", path)).isEmpty();
        assertThat(repository().disable("other", flow)).isFalse();
    }
}
