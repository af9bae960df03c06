//! ppdocs: a static site generator for the people who secure Microsoft Power Platform.
//!
//! The pipeline, one module per stage: [`load`] reads the project → [`parse`] turns each
//! Markdown page into a document → [`link`] assigns task IDs and checks cross-references,
//! producing a [`site::Site`] → [`render`] runs the theme's templates → [`publish`] shapes the
//! output for its host and checks every link → [`write`] swaps the new site into the output
//! directory. [`pipeline`] strings the stages together and
//! [`cmd`] holds the subcommands; [`serve`] wraps the pipeline in a
//! live-reloading web server. See `docs/ARCHITECTURE.md`.

pub mod cmd;
pub mod config;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod link;
pub mod load;
pub mod parse;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod serve;
pub mod shell;
pub mod site;
pub mod urls;
pub mod write;
