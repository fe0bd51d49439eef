package dev.junction.bench;

/**
 * The order every workload sends (~1 KB of JSON): {@code orderId}, {@code customer{name,email}},
 * five {@code lines{sku,qty,price}} and {@code country}, as the benchmark issue describes.
 */
final class Orders {
    private Orders() {}

    private static final String LINES;

    static {
        StringBuilder lines = new StringBuilder("[");
        for (int i = 1; i <= 5; i++) {
            if (i > 1) {
                lines.append(',');
            }
            lines.append(
                    "{\"sku\":\"SKU-%05d-STANDARD-EDITION-BLUE-XL\",\"qty\":%d,\"price\":%d.95,\"description\":\"Item %d of a typical order, with a description of the sort shops send\"}"
                            .formatted(10_000 + i, i, 10 * i, i));
        }
        LINES = lines.append(']').toString();
    }

    static String json(String orderId) {
        return "{\"orderId\":\"" + orderId
                + "\",\"customer\":{\"name\":\"Ada Lovelace-Byron\",\"email\":\"ada.lovelace@analytical-engines.example.com\"},"
                + "\"lines\":" + LINES + ",\"country\":\"de\",\"channel\":\"web-shop-eu-central\"}";
    }
}
