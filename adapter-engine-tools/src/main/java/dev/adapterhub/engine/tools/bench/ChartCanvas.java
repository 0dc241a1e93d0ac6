package dev.adapterhub.engine.tools.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A white, antialiased PNG canvas with a bold title, for the benchmarks' charts (plain java.awt, headless). */
final class ChartCanvas {

    private final BufferedImage image;
    private final Graphics2D graphics;

    private ChartCanvas(BufferedImage image, Graphics2D graphics) {
        this.image = image;
        this.graphics = graphics;
    }

    /** A canvas whose graphics are left in black, 12 pt plain, after drawing {@code title} at {@code titleX}. */
    static ChartCanvas open(int width, int height, String title, int titleX) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, titleX, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return new ChartCanvas(image, g);
    }

    Graphics2D graphics() {
        return graphics;
    }

    void save(Path file) throws IOException {
        graphics.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
