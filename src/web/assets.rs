//! Static files, embedded in the binary at build time. URLs carry a digest of the content, so browsers may keep
//! them forever and still get a new version after an upgrade.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../assets/style.css"),
    },
    Asset { name: "favicon.svg", content_type: "image/svg+xml", bytes: include_bytes!("../../assets/favicon.svg") },
    Asset {
        name: "survey.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/survey.js"),
    },
    Asset {
        name: "diagnostic-map.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/diagnostic-map.js"),
    },
    Asset {
        name: "codesign.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/codesign.js"),
    },
    Asset {
        name: "restitution.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/restitution.js"),
    },
    // Leaflet, vendored from npm (assets/vendor/update.sh), for the optional interactive map.
    Asset {
        name: "leaflet.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/leaflet.js"),
    },
    Asset {
        name: "leaflet.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/leaflet.css"),
    },
];

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

fn versions() -> &'static Vec<(&'static str, String)> {
    static VERSIONS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    VERSIONS.get_or_init(|| ASSETS.iter().map(|a| (a.name, format!("{:08x}", fnv1a(a.bytes) as u32))).collect())
}

/// The URL of an asset, with its version.
pub fn url(name: &str) -> String {
    match versions().iter().find(|(n, _)| *n == name) {
        Some((_, version)) => format!("/assets/{name}?v={version}"),
        None => format!("/assets/{name}"),
    }
}

pub async fn asset(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = ASSETS.iter().find(|a| a.name == name.as_str()) else {
        return HttpResponse::from_error(super::AppError::NotFound);
    };
    let versioned = req.query_string().starts_with("v=");
    HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((
            header::CACHE_CONTROL,
            if versioned { "public, max-age=31536000, immutable" } else { "public, max-age=3600" },
        ))
        .body(asset.bytes)
}
