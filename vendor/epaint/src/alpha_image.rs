//! netassist: [`AlphaImage`], an image of glyph coverage at one byte a pixel.

use crate::Color32;

/// An image whose every pixel is white at some opacity, stored as that
/// opacity alone: pixel `a` is `Color32::from_rgba_premultiplied(a, a, a, a)`.
///
/// The font atlas is such an image as long as it holds no colour glyphs
/// (emoji): a quarter of the memory of the same [`crate::ColorImage`], in
/// egui and in the renderer's texture.
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct AlphaImage {
    /// width, height in texels.
    pub size: [usize; 2],

    /// The opacity of each pixel, row by row, from top to bottom.
    pub pixels: Vec<u8>,
}

impl AlphaImage {
    /// A transparent image of `size`.
    pub fn transparent(size: [usize; 2]) -> Self {
        Self {
            size,
            pixels: vec![0; size[0] * size[1]],
        }
    }

    #[inline]
    pub fn width(&self) -> usize {
        self.size[0]
    }

    #[inline]
    pub fn height(&self) -> usize {
        self.size[1]
    }

    /// The opacity `color` stands for, if it is white at some opacity
    /// (premultiplied: all four channels equal).
    #[inline]
    pub fn alpha_of(color: Color32) -> Option<u8> {
        let [r, g, b, a] = color.to_array();
        (r == a && g == a && b == a).then_some(a)
    }

    /// The colour of pixel `a`.
    #[inline]
    pub fn color_of(a: u8) -> Color32 {
        Color32::from_rgba_premultiplied(a, a, a, a)
    }

    /// The pixels as colours.
    pub fn to_color_pixels(&self) -> alloc::vec::Vec<Color32> {
        self.pixels.iter().map(|&a| Self::color_of(a)).collect()
    }

    /// Sets pixel (`x`, `y`).
    #[inline]
    pub fn set(&mut self, (x, y): (usize, usize), a: u8) {
        let width = self.width();
        self.pixels[y * width + x] = a;
    }

    /// A copy of the `[w, h]` pixels at `[x, y]`.
    pub fn region_by_pixels(&self, [x, y]: [usize; 2], [w, h]: [usize; 2]) -> Self {
        assert!(
            x + w <= self.width() && y + h <= self.height(),
            "region {w}x{h} at ({x}, {y}) outside a {}x{} image",
            self.width(),
            self.height()
        );
        let mut pixels = alloc::vec::Vec::with_capacity(w * h);
        for row in y..y + h {
            let offset = row * self.width() + x;
            pixels.extend_from_slice(&self.pixels[offset..offset + w]);
        }
        Self {
            size: [w, h],
            pixels,
        }
    }
}

impl core::fmt::Debug for AlphaImage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AlphaImage")
            .field("size", &self.size)
            .field("pixel-count", &self.pixels.len())
            .finish_non_exhaustive()
    }
}
