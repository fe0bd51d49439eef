package dev.junction.engine.connector;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
    private final AddressPolicy strict = AddressPolicy.blockingInternal(List.of());

    @Test
    void blocksLoopbackLinkLocalPrivateAndMetadataAddresses() {
        for (String host : List.of(
                "127.0.0.1",
                "localhost",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "[::1]",
                "fd00::1",
                "::ffff:127.0.0.1")) {
            assertThatThrownBy(() -> strict.check(host), host)
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code())
                                    .isEqualTo("ADDRESS_BLOCKED"));
        }
    }

    @Test
    void allowsPublicAddressesAndAllowlistedRangesAndHosts() {
        assertThatCode(() -> strict.check("93.184.216.34")).doesNotThrowAnyException();
        AddressPolicy open = AddressPolicy.blockingInternal(List.of("127.0.0.1/32", "10.0.0.0/8", "localhost"));
        assertThatCode(() -> open.check("127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> open.check("10.200.1.1")).doesNotThrowAnyException();
        assertThatCode(() -> open.check("localhost")).doesNotThrowAnyException();
        assertThatThrownBy(() -> open.check("192.168.0.1")).isInstanceOf(ConnectorException.class);
        assertThatCode(() -> AddressPolicy.blockingInternal(List.of("*")).check("127.0.0.1"))
                .doesNotThrowAnyException();
    }
}
