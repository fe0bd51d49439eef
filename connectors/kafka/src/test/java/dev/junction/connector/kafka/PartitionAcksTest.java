package dev.junction.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionAcksTest {
    @Test
    void commitsOnlyTheAcknowledgedPrefixWhateverTheOrder() {
        PartitionAcks acks = new PartitionAcks();
        acks.handedOut(5);
        acks.handedOut(6);
        acks.handedOut(7);
        assertThat(acks.committable()).as("nothing acknowledged yet").isEqualTo(-1);
        acks.acknowledged(7);
        acks.acknowledged(6);
        assertThat(acks.committable()).as("5 is not durable yet").isEqualTo(-1);
        acks.acknowledged(5);
        assertThat(acks.committable()).isEqualTo(8);
        acks.committed(8);
        assertThat(acks.committable()).as("already committed").isEqualTo(-1);
    }

    @Test
    void stopsAtTheLowestOpenOffsetAndSkipsGapsInOffsets() {
        PartitionAcks acks = new PartitionAcks();
        acks.handedOut(10);
        acks.handedOut(13); // 11 and 12 are transaction markers or compacted away
        acks.handedOut(14);
        acks.acknowledged(10);
        acks.acknowledged(14);
        assertThat(acks.committable()).isEqualTo(13);
        acks.committed(13);
        acks.acknowledged(13);
        assertThat(acks.committable()).isEqualTo(15);
        assertThat(acks.pending()).isZero();
    }
}
