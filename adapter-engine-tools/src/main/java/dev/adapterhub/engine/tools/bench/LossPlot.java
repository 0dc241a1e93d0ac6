package dev.adapterhub.engine.tools.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loss curves as a PNG with plain java.awt (works headless). */
public final class LossPlot {

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14),
        new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};

    private LossPlot() {
    }

    /** One line per series (smoothed with a moving average of {@code window} steps), y on a log scale. */
    public static void write(Path file, String title, Map<String, List<Double>> series, int window) throws IOException {
        int width = 900;
        int height = 560;
        int left = 70;
        int right = 180;
        int top = 55;
        int bottom = 50;
        Map<String, double[]> smooth = new LinkedHashMap<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int steps = 1;
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            double[] s = movingAverage(e.getValue(), window);
            smooth.put(e.getKey(), s);
            steps = Math.max(steps, s.length);
            for (double v : s) {
                if (v > 0 && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(min < max)) {
            min = 0.1;
            max = 10;
        }
        double logMin = Math.log10(min) - 0.05;
        double logMax = Math.log10(max) + 0.05;
        ChartCanvas canvas = ChartCanvas.open(width, height, title, left);
        Graphics2D g = canvas.graphics();
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        g.drawRect(left, top, plotW, plotH);
        for (int i = 0; i <= 4; i++) {
            double lv = logMin + (logMax - logMin) * i / 4;
            int y = top + plotH - (int) (plotH * i / 4.0);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left + 1, y, left + plotW - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.3g", Math.pow(10, lv)), 8, y + 4);
            int x = left + (int) (plotW * i / 4.0);
            g.drawString(Integer.toString((int) Math.round((steps - 1) * i / 4.0) + 1), x - 8, top + plotH + 18);
        }
        g.drawString("step", left + plotW / 2 - 10, height - 12);
        g.drawString("train loss (log)", 8, top - 8);
        int index = 0;
        g.setStroke(new BasicStroke(2f));
        for (Map.Entry<String, double[]> e : smooth.entrySet()) {
            Color c = PALETTE[index % PALETTE.length];
            g.setColor(c);
            double[] s = e.getValue();
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.length; i++) {
                if (!(s[i] > 0) || !Double.isFinite(s[i])) {
                    continue;
                }
                int x = left + (int) (plotW * (steps == 1 ? 0 : i / (double) (steps - 1)));
                int y = top + plotH - (int) (plotH * (Math.log10(s[i]) - logMin) / (logMax - logMin));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int ly = top + 20 + 22 * index;
            g.drawLine(left + plotW + 15, ly - 4, left + plotW + 40, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + plotW + 46, ly);
            index++;
        }
        canvas.save(file);
    }

    static double[] movingAverage(List<Double> values, int window) {
        double[] out = new double[values.size()];
        double sum = 0;
        for (int i = 0; i < values.size(); i++) {
            sum += values.get(i);
            if (i >= window) {
                sum -= values.get(i - window);
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
