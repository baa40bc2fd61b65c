//! QR codes read back by a real decoder, and the printable flyers.
mod qr_decode;

use qr_decode::{decode_png, decode_svg};
use storypoint_server::flyer_files::{FlyerFilesError, flyers_zip, write_flyer_files};
use storypoint_server::qr::{Flyer, QrError, flyers_html, qr_png, qr_svg};

const SHORT: &str = "https://vertelpunt.example.nl/vertel?sp=k7Q2xd9a";
const PLAIN: &str = "http://localhost:8080/vertel?sp=ABCDEFGH";

fn long_url() -> String {
    format!(
        "https://jeugdhulp-vertelpunt.gemeente-enschede.example.nl/campagnes/twente-2025/vertel?sp=Zx9yW8vu&utm_source=nieuwsbrief&utm_medium=print&utm_campaign={}",
        "verhalen-uit-de-regio-".repeat(8)
    )
}

#[test]
fn the_png_decodes_to_the_exact_url() {
    for url in [SHORT.to_string(), PLAIN.to_string(), long_url()] {
        let png = qr_png(&url).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(decode_png(&png), vec![url.clone()], "{url}");
    }
}

#[test]
fn the_png_prints_sharp_with_a_quiet_zone() {
    let png = qr_png(SHORT).unwrap();
    let image = image::load_from_memory(&png).unwrap().into_luma8();
    // A version 1–40 code has 21–177 modules, plus 2×4 quiet zone: ≥ 8 px per module.
    assert_eq!(image.width(), image.height());
    assert!(image.width() >= (21 + 8) * 8);
    let modules = (image.width() / 10) as usize;
    assert_eq!(image.width() % 10, 0, "10 px per module");
    assert!((29..=185).contains(&modules));
    // The quiet zone (4 modules = 40 px) is white all round, the corner finder black.
    for i in 0..image.width() {
        for d in 0..40 {
            assert_eq!(image.get_pixel(i, d)[0], 255);
            assert_eq!(image.get_pixel(d, i)[0], 255);
            assert_eq!(image.get_pixel(i, image.height() - 1 - d)[0], 255);
            assert_eq!(image.get_pixel(image.width() - 1 - d, i)[0], 255);
        }
    }
    assert_eq!(image.get_pixel(40, 40)[0], 0);
}

#[test]
fn the_svg_is_an_svg_document_showing_the_same_code() {
    for url in [SHORT.to_string(), PLAIN.to_string(), long_url()] {
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", &svg[..80]);
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 "));
        assert!(svg.contains(r##"fill="#fff""##) && svg.contains(r##"fill="#000""##));
        assert_eq!(decode_svg(&svg), vec![url.clone()], "{url}");
    }
}

#[test]
fn an_overlong_url_is_an_error_not_a_panic() {
    let url = format!("https://example.nl/?{}", "x".repeat(5000));
    assert!(matches!(qr_svg(&url), Err(QrError::TooLong { .. })));
    assert!(matches!(qr_png(&url), Err(QrError::TooLong { .. })));
    let error = qr_png(&url).unwrap_err().to_string();
    assert!(error.contains("too long"), "{error}");
    let flyer = Flyer { organisation: "A", code: "k7Q2xd9a", url: &url };
    assert!(flyers_html(&[flyer]).is_err());

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("qr");
    let error = write_flyer_files(&out, &[flyer], |_| true).unwrap_err();
    assert!(matches!(error, FlyerFilesError::Qr { source: QrError::TooLong { .. }, .. }), "{error}");
    assert!(error.to_string().starts_with("A (k7Q2xd9a): "), "names the link: {error}");
    assert!(!out.exists(), "nothing is written when a flyer cannot be made");
}

#[test]
fn the_flyer_files_are_png_svg_per_link_and_the_flyers_as_html_and_pdf() {
    let long = long_url();
    let flyers = [
        Flyer { organisation: "Basisschool De Vlinderboom", code: "k7Q2xd9a", url: SHORT },
        Flyer { organisation: "Tom & Jerry <b>", code: "ABCDEFGH", url: PLAIN },
        Flyer { organisation: "Zorggroep Noë \"Twente\"", code: "Zx9yW8vu", url: &long },
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nieuw").join("qr");
    let written = write_flyer_files(&out, &flyers, |_| true).unwrap();

    let names: Vec<String> = written.iter().map(|p| p.strip_prefix(&out).unwrap().to_string_lossy().into_owned()).collect();
    let stems = ["basisschool-de-vlinderboom-k7Q2xd9a", "tom-jerry-b-ABCDEFGH", "zorggroep-no-twente-Zx9yW8vu"];
    let expected: Vec<String> =
        stems.iter().flat_map(|s| [format!("{s}.png"), format!("{s}.svg")]).chain(["flyers.html".into(), "flyers.pdf".into()]).collect();
    assert_eq!(names, expected);
    for (flyer, stem) in flyers.iter().zip(stems) {
        let png = std::fs::read(out.join(format!("{stem}.png"))).unwrap();
        assert_eq!(decode_png(&png), vec![flyer.url.to_string()]);
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert_eq!(svg, qr_svg(flyer.url).unwrap());
    }
    let pdf = std::fs::read(out.join("flyers.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf).contains(&format!("/Count {}", flyers.len())), "one A4 per organisation");

    // The console's ZIP holds the same files, in the same order.
    let zip = flyers_zip(&flyers).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let in_zip: Vec<String> = (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().to_string()).collect();
    assert_eq!(in_zip, names);

    let html = std::fs::read_to_string(out.join("flyers.html")).unwrap();
    assert_eq!(html, flyers_html(&flyers).unwrap());
    for flyer in &flyers {
        // As written in HTML: `&` between query parameters is `&amp;`.
        let printed = flyer.url.replace('&', "&amp;");
        assert!(html.contains(&printed), "{printed}");
    }
    assert!(html.contains(SHORT) && html.contains(PLAIN));
    assert!(html.contains("Basisschool De Vlinderboom"));
    assert!(html.contains("Tom &amp; Jerry &lt;b&gt;"));
    assert!(!html.contains("Tom & Jerry"), "the name is escaped");
    assert!(!html.contains("<b>"), "no markup from a name");
    assert!(html.contains("Zorggroep Noë &quot;Twente&quot;"));
    assert_eq!(html.matches("<section class=\"flyer\"").count(), flyers.len());
    assert_eq!(html.matches("<svg").count(), flyers.len());
}

#[test]
fn the_flyer_page_is_printable_self_contained_dutch() {
    let flyers = [Flyer { organisation: "Wijkteam Oost", code: "k7Q2xd9a", url: SHORT }];
    let html = flyers_html(&flyers).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("break-after: page"));
    assert!(html.contains("Deel jouw verhaal over de jeugdhulp"));
    assert!(html.contains("10 minuten"));
    assert!(html.contains("anoniem"), "says it is anonymous");
    assert!(html.contains(".qr svg { display: block; width: 70mm; height: 70mm; }"), "≥ 6 cm printed");
    let lower = html.to_lowercase();
    for forbidden in ["<script", "<link", "src=", "href=", "@import", "url(", "javascript:"] {
        assert!(!lower.contains(forbidden), "{forbidden}");
    }
    // The URL is printed under the code, the organisation under that.
    let qr = html.find("<div class=\"qr\">").unwrap();
    let url = html.find("<p class=\"url\">").unwrap();
    let organisation = html.find("Wijkteam Oost").unwrap();
    assert!(qr < url && url < organisation);
}

#[test]
fn urls_with_ampersands_are_escaped_in_the_html() {
    let url = "https://example.nl/vertel?sp=k7Q2xd9a&lang=nl";
    let html = flyers_html(&[Flyer { organisation: "A", code: "k7Q2xd9a", url }]).unwrap();
    assert!(html.contains("https://example.nl/vertel?sp=k7Q2xd9a&amp;lang=nl"));
    assert!(!html.contains("k7Q2xd9a&lang"));
}

#[test]
fn no_flyers_is_a_valid_page() {
    let html = flyers_html(&[]).unwrap();
    assert!(html.contains("</html>"));
    assert_eq!(html.matches("<section class=\"flyer\"").count(), 0);
}

#[test]
fn unsafe_or_repeated_codes_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for flyers in [
        vec![Flyer { organisation: "A", code: "../evil", url: SHORT }],
        vec![Flyer { organisation: "A", code: "", url: SHORT }],
        vec![Flyer { organisation: "A", code: "k7Q2xd9a", url: SHORT }, Flyer { organisation: "B", code: "k7Q2xd9a", url: PLAIN }],
    ] {
        let out = dir.path().join("qr");
        let error = write_flyer_files(&out, &flyers, |_| true).unwrap_err();
        assert!(matches!(error, FlyerFilesError::UnsafeCode(_) | FlyerFilesError::SameCode(_)), "{error}");
        assert!(!out.exists());
    }
}
