//! Test helpers that read QR codes back with a real decoder (`rqrr`): from a greyscale
//! image, a PNG, or the SVG path the collector draws.
#![allow(dead_code)]

/// Decodes every QR code in a greyscale image with `rqrr`.
pub fn decode_grey(width: usize, height: usize, pixel: impl Fn(usize, usize) -> u8) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, pixel);
    prepared.detect_grids().iter().map(|grid| grid.decode().expect("a readable code").1).collect()
}

pub fn decode_png(png: &[u8]) -> Vec<String> {
    let image = image::load_from_memory(png).expect("a PNG").into_luma8();
    decode_grey(image.width() as usize, image.height() as usize, |x, y| image.get_pixel(x as u32, y as u32)[0])
}

/// Draws the SVG's path (bars `M{x} {y}h{w}v1h-{w}z` in module units) back into a bitmap,
/// 4 px per module, and decodes it: the SVG shows the same code as the PNG.
pub fn decode_svg(svg: &str) -> Vec<String> {
    let view_box = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let size: usize = view_box.split(' ').next().unwrap().parse().unwrap();
    let path = svg.split("<path").nth(1).unwrap().split(" d=\"").nth(1).unwrap();
    let path = path.split('"').next().unwrap();
    let mut dark = vec![false; size * size];
    for bar in path.split('M').filter(|b| !b.is_empty()) {
        let (xy, rest) = bar.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let w: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        for dx in 0..w {
            dark[y * size + x + dx] = true;
        }
    }
    const PX: usize = 4;
    decode_grey(size * PX, size * PX, |x, y| if dark[(y / PX) * size + x / PX] { 0 } else { 255 })
}
