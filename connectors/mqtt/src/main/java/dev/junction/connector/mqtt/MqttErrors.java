package dev.junction.connector.mqtt;

import dev.junction.engine.connector.ConnectorException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** MQTT failures as stable error codes, by the reason code the broker or client gave. */
final class MqttErrors {
    private MqttErrors() {}

    static ConnectorException of(MqttException e, String doing) {
        String what = doing + ": ";
        int code = e.getReasonCode();
        return switch (code) {
            case 0x86, 0x87, 0x8C ->
                new ConnectorException(
                        "AUTH_FAILED",
                        what + "the broker refused the credentials (reason 0x%02X)".formatted(code),
                        false,
                        null,
                        null,
                        e);
            case MqttClientException.REASON_CODE_CLIENT_TIMEOUT ->
                new ConnectorException("TIMEOUT", what + "the broker did not answer in time", true, null, null, e);
            case 0x88, 0x89, 0x97, 0x9F ->
                new ConnectorException(
                        "CONNECTION",
                        what + "the broker is unavailable or busy (reason 0x%02X)".formatted(code),
                        true,
                        null,
                        null,
                        e);
            default -> {
                String cause = e.getCause() != null ? e.getCause().toString() : e.getMessage();
                yield code >= 0x80 && code <= 0xFF
                        ? new ConnectorException(
                                "INPUT_INVALID",
                                what + "the broker refused (reason 0x%02X: %s)".formatted(code, e.getMessage()),
                                false,
                                null,
                                null,
                                e)
                        : new ConnectorException("CONNECTION", what + cause, true, null, null, e);
            }
        };
    }
}
