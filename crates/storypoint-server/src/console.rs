//! The coordinators' console: what a coordinator does in the browser instead of on the
//! command line, one module per job, each with its own routes (merged into the admin router
//! in `app.rs`, so they get its `no-store`, CORP and guessing-limit layers). The rules are
//! the command line's own (one code path); the pages are in `pages/`, their words in
//! `translations/console/` (see `words`), in the language `language` chooses.
pub mod campaigns;
pub mod language;
pub mod links;
