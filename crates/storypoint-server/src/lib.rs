//! The Storypoint collector and coordinators' tool, as a library the `storypoint` binary
//! and the tests share.
//!
//! The collector takes stories posted by the `<story-point>` widget, validates them with
//! `storypoint-core` (never a rule of its own) and stores each exactly once in SQLite. The
//! coordinators' side makes organisation links and QR flyers, shows the response per link
//! and exports the stories.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod access;
pub mod app;
pub mod audio;
pub mod auth;
pub mod bundle;
pub mod campaigns;
pub mod charts;
pub mod client;
pub mod console;
pub mod day_times;
pub mod error;
pub mod export;
pub mod facts;
pub mod flyer_files;
pub mod flyers_pdf;
pub mod import;
pub mod insight;
pub mod landing;
pub mod limits;
pub mod links;
pub mod listen;
pub mod observations;
pub mod overview;
pub mod pages;
pub mod pdf_text;
pub mod qr;
pub mod report_pdf;
pub mod rights;
pub mod security_txt;
pub mod session;
pub mod standouts;
pub mod state;
pub mod store;
pub mod versions;
pub mod words;
pub mod worksession;
