package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How every {@link WorkQueue} hands out runs: claims once per lease and takes over expired ones,
 * wakes parked runs when due, and keeps a flow's concurrency limit without starving other runs. A
 * backend's test extends this and supplies one object implementing both ports.
 */
public abstract class ClaimContract extends RunStoreFixtures {
    @Test
    void claimsDueRunsOncePerLeaseAndTakesOverExpiredLeases() {
        Instant now = epoch;
        Run a = run(id(now, 1), null, now.minusSeconds(5));
        Run b = run(id(now, 2), null, now.minusSeconds(4));
        admit(a, null, 0);
        admit(b, null, 0);
        List<Run> first = queue().claim(nodeA, now, now.plusSeconds(30), 10);
        assertThat(first).extracting(Run::id).containsExactly(a.id(), b.id());
        assertThat(first).allMatch(r -> r.status() == RunStatus.RUNNING);
        assertThat(queue().claim(nodeB, now.plusSeconds(10), now.plusSeconds(40), 10))
                .isEmpty();
        assertThat(queue().renew(nodeA, now.plusSeconds(60))).isGreaterThanOrEqualTo(2);
        assertThat(queue().claim(nodeB, now.plusSeconds(45), now.plusSeconds(75), 10))
                .isEmpty();
        List<Run> takenOver = queue().claim(nodeB, now.plusSeconds(61), now.plusSeconds(91), 10);
        assertThat(takenOver).extracting(Run::id).containsExactly(a.id(), b.id());
        assertThat(queue().checkpoint(attempt(a, 1, "x", AttemptStatus.SUCCEEDED), nodeA))
                .isFalse();
        assertThat(queue().checkpoint(attempt(a, 1, "x", AttemptStatus.SUCCEEDED), nodeB))
                .isTrue();
    }

    @Test
    void aNodeNeverClaimsItsOwnLiveRunsButTakesThemBackWhenItHandsThemBack() {
        Instant now = epoch;
        Run run = run(id(now, 1), null, now);
        admit(run, nodeA, 0);
        assertThat(queue().claim(nodeA, now.plusSeconds(1), now.plusSeconds(31), 10))
                .isEmpty();
        assertThat(queue().renew(nodeA, now.plusSeconds(2))).isEqualTo(1); // a restart hands them back
        assertThat(queue().claim(nodeA, now.plusSeconds(2), now.plusSeconds(32), 10))
                .extracting(Run::id)
                .containsExactly(run.id());
        assertThat(queue().checkpoint(attempt(run, 1, "x", AttemptStatus.SUCCEEDED), nodeA))
                .isTrue();
    }

    @Test
    void claimNextTakesTheFlowsOldestQueuedRunOnlyUnderItsLimit() {
        Instant now = epoch;
        Run first = run(id(now, 1), null, now.minusSeconds(3));
        Run second = run(id(now, 2), null, now.minusSeconds(2));
        Run third = run(id(now, 3), null, now.minusSeconds(1));
        Run running = admit(first, nodeA, 1).run();
        admit(second, nodeA, 1);
        admit(third, nodeA, 1);
        assertThat(queue().claimNext("default", flow, nodeB, now, now.plusSeconds(30)))
                .isEmpty();
        queue().save(running.succeeded(null, now), nodeA);
        assertThat(queue().claimNext("default", flow, nodeB, now, now.plusSeconds(30)))
                .get()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(second.id());
                    assertThat(r.status()).isEqualTo(RunStatus.RUNNING);
                });
        assertThat(queue().claimNext("default", flow, nodeB, now, now.plusSeconds(30)))
                .isEmpty();
        assertThat(queue().claimNext("other", flow, nodeB, now, now.plusSeconds(30)))
                .isEmpty();
    }

    @Test
    void aLongQueueBehindOneFlowsLimitDoesNotStarveOtherRuns() {
        Instant now = epoch;
        String limited = "limited-" + flow;
        Run active = Run.queued("default", id(now, 0), limited, 1, "manual", Map.of(), null, now.minusSeconds(1), null);
        admit(active, nodeA, 1);
        for (int i = 1; i <= 5; i++) {
            admit(
                    Run.queued(
                            "default",
                            id(now, i),
                            limited,
                            1,
                            "manual",
                            Map.of(),
                            null,
                            now.minusSeconds(60 - i),
                            null),
                    nodeA,
                    1);
        }
        Run other = run(id(now, 9), null, now.minusSeconds(1));
        admit(other, null, 0);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 3))
                .extracting(Run::id)
                .containsExactly(other.id());
    }

    @Test
    void aParkedRunIsClaimedWhenDueWithItsTimers() {
        Instant now = epoch;
        Run run = run(id(now, 1), null, now);
        admit(run, nodeA, 0);
        queue().setTimer("default", run.id(), "wait", now.plusSeconds(3600));
        assertThat(queue().park("default", run.id(), nodeA, now.plusSeconds(3600)))
                .isTrue();
        assertThat(store().find("default", run.id()).orElseThrow().status()).isEqualTo(RunStatus.WAITING);
        assertThat(queue().claim(nodeB, now.plusSeconds(3599), now.plusSeconds(3700), 10))
                .isEmpty();
        assertThat(queue().claim(nodeB, now.plusSeconds(3600), now.plusSeconds(3700), 10))
                .extracting(Run::id)
                .containsExactly(run.id());
        assertThat(queue().timers("default", run.id())).containsEntry("wait", now.plusSeconds(3600));
    }

    @Test
    void concurrencyLimitQueuesExtraRunsInOrderOfArrival() {
        Instant now = epoch;
        List<WorkQueue.Admission> admitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            admitted.add(admit(run(id(now, i), null, now.minusSeconds(10 - i)), nodeA, 2));
        }
        assertThat(admitted).extracting(WorkQueue.Admission::leased).containsExactly(true, true, false, false);
        assertThat(queue().claim(nodeA, now, now.plusSeconds(30), 10))
                .as("two are active, so the queued ones wait")
                .isEmpty();
        Run firstDone = admitted.get(0).run().succeeded(null, now);
        queue().save(firstDone, nodeA);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 10))
                .extracting(Run::id)
                .containsExactly(admitted.get(2).run().id());
    }

    @Test
    void aQueueBehindOneFlowsLimitLeavesOtherRunsClaimable() {
        Instant now = epoch;
        List<WorkQueue.Admission> limited = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            limited.add(admit(run(id(now, i), null, now.minusSeconds(20 - i)), nodeA, 1));
        }
        assertThat(limited).extracting(WorkQueue.Admission::leased).containsExactly(true, false, false);
        // queued after them: another flow without a limit, and the same flow id in another workspace
        Run unlimited = Run.queued(
                "default", id(now, 10), flow + "-b", 1, "webhook", Map.of(), null, now.minusSeconds(5), null);
        Run elsewhere = Run.queued("other", id(now, 11), flow, 1, "webhook", Map.of(), null, now.minusSeconds(3), null);
        workspace("other");
        admit(unlimited, null, 0);
        admit(elsewhere, null, 1);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 1))
                .extracting(Run::id)
                .containsExactly(unlimited.id());
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 10))
                .extracting(Run::id)
                .containsExactly(elsewhere.id());
        queue().save(limited.get(0).run().succeeded(null, now), nodeA);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 10))
                .extracting(Run::id)
                .containsExactly(limited.get(1).run().id());
    }
}
