//! A Markdown page: front matter, Learn extensions, Markdown, checklist extraction, and the
//! printing of every diagnostic it produces. The input is split at the first 0xFF byte (never
//! valid UTF-8) into the page and an include it may pull in; the first byte's low bits pick
//! page or training module, and whether `sanitize` is on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ppdocs::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::page(data));
