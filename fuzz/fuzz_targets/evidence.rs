//! An evidence record (Markdown with front matter, or YAML), and the printing of every
//! diagnostic it produces.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ppdocs::fuzzing;

fuzz_target!(|data: &[u8]| fuzzing::evidence(data));
