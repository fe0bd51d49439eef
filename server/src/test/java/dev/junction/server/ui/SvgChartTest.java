package dev.junction.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    private static final List<String> HOURS = List.of("10:00", "11:00", "12:00", "13:00");
    private static final Pattern HEIGHT = Pattern.compile("<rect class=\"bar\"[^>]* height=\"([0-9.]+)\"");

    private static List<Double> heights(String svg) {
        Matcher m = HEIGHT.matcher(svg);
        List<Double> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }

    @Test
    void barsAreAnImageNamedByItsTitleWithOneBarPerSlotInProportion() {
        String svg = SvgChart.bars("runs", "Runs per hour", HOURS, List.of(0.0, 5.0, 10.0, 2.5), "runs");

        assertThat(svg)
                .startsWith("<svg")
                .contains("role=\"img\" aria-labelledby=\"runs-title\"")
                .contains("<title id=\"runs-title\">Runs per hour</title>")
                .contains("<title>11:00: 5 runs</title>")
                .contains("<title>13:00: 2.5 runs</title>")
                .contains(">10 runs</text>") // the axis's top: the largest value, rounded up
                .doesNotContain("style=");
        List<Double> h = heights(svg);
        assertThat(h).hasSize(4);
        assertThat(h.get(0)).isZero();
        assertThat(h.get(2)).isEqualTo(SvgChart.HEIGHT - SvgChart.TOP - SvgChart.BOTTOM);
        assertThat(h.get(1)).isEqualTo(h.get(2) / 2, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void linesBreakWhereASlotHasNoValueAndNameEachSeriesInWords() {
        String svg = SvgChart.lines(
                "latency",
                "Latency",
                HOURS,
                List.of(
                        new SvgChart.Series("p50", "p50", Arrays.asList(10.0, 20.0, null, 40.0)),
                        new SvgChart.Series("p95", "p95", Arrays.asList(null, null, null, 90.0))),
                0,
                "ms");

        assertThat(svg.split("<polyline class=\"line p50\"", -1)).hasSize(3); // two segments
        assertThat(svg.split("<polyline class=\"line p95\"", -1)).hasSize(2);
        assertThat(svg.split("<circle", -1)).hasSize(5); // a point per value
        assertThat(svg)
                .contains("<title>p95 at 13:00: 90 ms</title>")
                .contains(">100 ms</text>")
                .contains("class=\"legend p50\"")
                .contains(">p95</text>");
    }

    @Test
    void aFixedMaximumHoldsTheScaleAndValuesAboveItStayInside() {
        String svg = SvgChart.lines(
                "rate",
                "Success rate",
                List.of("a", "b"),
                List.of(new SvgChart.Series("success", "rate", List.of(100.0, 50.0))),
                100,
                "%");
        assertThat(svg).contains(">100 %</text>").contains("cy=\"" + SvgChart.TOP + "\"");
    }

    @Test
    void textIsEscaped() {
        String svg = SvgChart.bars("x", "Runs of <script>&\"", List.of("<b>"), List.of(1.0), "runs");
        assertThat(svg)
                .contains("Runs of &lt;script&gt;&amp;&quot;")
                .contains("&lt;b&gt;: 1 runs")
                .doesNotContain("<script>")
                .doesNotContain("<b>");
    }

    @Test
    void axisMaximaAreRoundNumbers() {
        assertThat(SvgChart.niceMax(0)).isEqualTo(1);
        assertThat(SvgChart.niceMax(3)).isEqualTo(5);
        assertThat(SvgChart.niceMax(11)).isEqualTo(20);
        assertThat(SvgChart.niceMax(200)).isEqualTo(200);
        assertThat(SvgChart.niceMax(501)).isEqualTo(1000);
    }

    @Test
    void aChartNeedsSlots() {
        assertThatThrownBy(() -> SvgChart.bars("x", "t", List.of(), List.of(), "runs"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
