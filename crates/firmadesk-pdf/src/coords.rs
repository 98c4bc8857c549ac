//! Between what the clerk draws on the preview (pixels, at any zoom) and what the service reads (PDF
//! points, top-left origin, y down).
//!
//! The preview shows the page's MediaBox scaled to `pixel_width`, so one scale factor maps both axes.

use serde::{Deserialize, Serialize};

/// Margin kept from the right and bottom edges. The service requires `x + w < width` and
/// `y + h < height` strictly, then rounds coordinates to whole points for the signing service; half a
/// point keeps a box that touches the edge valid after both.
pub const EDGE_MARGIN_PT: f64 = 0.5;

/// A rendered page on screen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// Page width in points.
    pub page_width: f64,
    /// Page height in points.
    pub page_height: f64,
    /// Width of the page on screen, in CSS pixels (zoom included).
    pub pixel_width: f64,
}

impl Viewport {
    /// Pixels per point.
    pub fn scale(&self) -> f64 {
        self.pixel_width / self.page_width
    }

    /// Height of the page on screen, in CSS pixels.
    pub fn pixel_height(&self) -> f64 {
        self.page_height * self.scale()
    }

    /// Screen point → PDF point (top-left origin).
    pub fn to_points(&self, px: f64, py: f64) -> (f64, f64) {
        (px / self.scale(), py / self.scale())
    }

    /// PDF point (top-left origin) → screen point.
    pub fn to_pixels(&self, x: f64, y: f64) -> (f64, f64) {
        (x * self.scale(), y * self.scale())
    }

    /// The box between two screen points (drawn in any direction), in points, kept inside the page.
    pub fn rect_from_drag(&self, from: (f64, f64), to: (f64, f64)) -> Rect {
        let (x0, y0) = self.to_points(from.0.min(to.0), from.1.min(to.1));
        let (x1, y1) = self.to_points(from.0.max(to.0), from.1.max(to.1));
        Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
        .clamp_inside(self.page_width, self.page_height)
    }
}

/// A box in PDF points, top-left origin.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// True when the service accepts the box on a page of this size (`x + w < width`, `y + h < height`).
    /// Negative origins are not rejected by the service, but FirmaDesk never produces them.
    pub fn fits_service(&self, page_width: f64, page_height: f64) -> bool {
        self.x + self.w < page_width && self.y + self.h < page_height
    }

    /// The box moved and, if needed, shrunk so it lies inside the page with the edge margin; a box larger
    /// than the page keeps the page's size less the margin.
    pub fn clamp_inside(self, page_width: f64, page_height: f64) -> Rect {
        fn axis(start: f64, len: f64, page: f64) -> (f64, f64) {
            let max_len = (page - EDGE_MARGIN_PT).max(0.0);
            let len = len.clamp(0.0, max_len);
            let start = start.clamp(0.0, (page - EDGE_MARGIN_PT - len).max(0.0));
            (start, len)
        }
        let (x, w) = axis(self.x, self.w, page_width);
        let (y, h) = axis(self.y, self.h, page_height);
        Rect { x, y, w, h }
    }

    /// The box moved by (dx, dy) points (arrow-key nudge), kept inside the page.
    pub fn nudge(self, dx: f64, dy: f64, page_width: f64, page_height: f64) -> Rect {
        Rect {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
        .clamp_inside(page_width, page_height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const A4: (f64, f64) = (595.28, 841.89);

    proptest! {
        /// What the clerk points at survives the trip to points and back, within half a point, at any zoom
        /// from a 200 px thumbnail to 400 %.
        #[test]
        fn pixel_point_round_trip(px in 0.0f64..3000.0, py in 0.0f64..4000.0, width in 200.0f64..2400.0) {
            let v = Viewport { page_width: A4.0, page_height: A4.1, pixel_width: width };
            let (x, y) = v.to_points(px, py);
            let (bx, by) = v.to_pixels(x, y);
            prop_assert!(((bx - px) / v.scale()).abs() < 0.5 && ((by - py) / v.scale()).abs() < 0.5);
        }

        /// Mouse events land on whole pixels: a field position stored in points and shown again lands on
        /// the same spot within half a point for any zoom of at least 1 px per point.
        #[test]
        fn whole_pixel_positions_round_trip(x in 0.0f64..595.0, y in 0.0f64..841.0, width in 596.0f64..2400.0) {
            let v = Viewport { page_width: A4.0, page_height: A4.1, pixel_width: width };
            let (px, py) = v.to_pixels(x, y);
            let (bx, by) = v.to_points(px.round(), py.round());
            prop_assert!((bx - x).abs() <= 0.5 && (by - y).abs() <= 0.5);
        }

        /// Whatever the clerk drags, even past the edges, the box satisfies the service's strict bounds,
        /// also after the service rounds it to whole points.
        #[test]
        fn dragged_boxes_always_fit(
            ax in -500.0f64..3000.0, ay in -500.0f64..4000.0, bx in -500.0f64..3000.0, by in -500.0f64..4000.0,
            width in 100.0f64..2400.0, pw in 50.0f64..2000.0, ph in 50.0f64..2000.0,
        ) {
            let v = Viewport { page_width: pw, page_height: ph, pixel_width: width };
            let r = v.rect_from_drag((ax, ay), (bx, by));
            prop_assert!(r.x >= 0.0 && r.y >= 0.0 && r.w >= 0.0 && r.h >= 0.0);
            prop_assert!(r.fits_service(pw, ph));
            prop_assert!(r.x.round() + r.w.round() <= pw.round());
            prop_assert!(r.y.round() + r.h.round() <= ph.round());
        }

        /// Nudging never pushes a box off the page.
        #[test]
        fn nudge_stays_inside(x in 0.0f64..500.0, y in 0.0f64..700.0, dx in -1000.0f64..1000.0, dy in -1000.0f64..1000.0) {
            let r = Rect { x, y, w: 90.0, h: 40.0 }.clamp_inside(A4.0, A4.1).nudge(dx, dy, A4.0, A4.1);
            prop_assert!(r.fits_service(A4.0, A4.1) && r.x >= 0.0 && r.y >= 0.0);
            prop_assert!((r.w - 90.0).abs() < 1e-9 && (r.h - 40.0).abs() < 1e-9);
        }
    }

    #[test]
    fn box_touching_the_edge_is_pulled_in_by_the_margin() {
        let r = Rect {
            x: 500.0,
            y: 800.0,
            w: 95.28,
            h: 41.89,
        }
        .clamp_inside(A4.0, A4.1);
        assert!(r.fits_service(A4.0, A4.1));
        assert!((r.x + r.w - (A4.0 - EDGE_MARGIN_PT)).abs() < 1e-9);
        assert!(!Rect {
            x: 500.0,
            y: 0.0,
            w: 95.28,
            h: 10.0
        }
        .fits_service(A4.0, A4.1));
    }
}
