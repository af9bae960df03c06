//! Property tests: whatever the text of a page or an evidence file, parsing never panics,
//! every diagnostic points inside the file it names, and evidence notes never keep a script.
//! The checks are `ppdocs::fuzzing`'s, shared with the fuzz targets in `fuzz/`; crashes the
//! fuzzers found are kept in `tests/fuzz_regressions/` and replayed here.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

/// Pieces of the syntax ppdocs reads, so random pages reach the interesting code: front
/// matter, checklists, Learn extensions, includes, code fences, CRLF, tabs, multibyte text.
const FRAGMENTS: &[&str] = &[
    "---\n",
    "title: T\n",
    "ms.date: 05/14/2025\n",
    "audience: [makers]\n",
    "level: beginner\n",
    "duration: 5\n",
    "a: &x [1, 2]\n",
    "b: *x\n",
    "task: [TP-01, CO-02]\n",
    "status: done\n",
    "owner: SecOps\n",
    "collected: 2026-10-01\n",
    "expires: 2027-01-01\n",
    "attachments: [a.json]\n",
    "# Title\n",
    "## Section {prefix=TP}\n",
    "## Self-check\n",
    "### Sub\n",
    "| Done | Task |\n",
    "|---|---|\n",
    "| ☐ | Review the tenant {#TP-07} |\n",
    "| ✓ | x | y |\n",
    "| [x] | **bold** <b>html</b> |\n",
    "- [ ] task item\n",
    "- [x] done item\n",
    "1. step\n",
    "> [!NOTE]\n",
    "> [!div class=\"x\"]\n",
    "> quoted\n",
    ":::image type=\"content\" source=\"a.png\" alt-text=\"A\":::\n",
    ":::image type=\"complex\" source=\"b.png\" alt-text=\"B\":::\n",
    ":::image-end:::\n",
    ":::row:::\n",
    ":::row-end:::\n",
    "[!INCLUDE[x](includes/part.md)]\n",
    "[!INCLUDE[y](../nowhere.md)]\n",
    "```powershell\n",
    "```\n",
    "~~~kql\n",
    "[link](other.md#anchor)\n",
    "[up](../../x.md)\n",
    "![img](media/a%20b.png)\n",
    "[js](javascript:alert(1))\n",
    "<script>alert(1)</script>\n",
    "<div onclick=\"x\">\n",
    "</div>\n",
    "<!-- ppdocs:alert:note -->\n",
    "\r\n",
    "\n",
    "\t",
    "    ",
    "é",
    "☕",
    "\u{feff}",
    "\u{0}",
    "{",
    "}",
    "|",
    "`",
    "*",
    "[",
    "]",
    "(",
    ")",
    "#",
    ":",
    "-",
];

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..40,
    )
    .prop_map(|pieces| pieces.concat())
}

fn with_flags(flags: u8, text: &str, include: &str) -> Vec<u8> {
    let mut data = vec![flags];
    data.extend_from_slice(text.as_bytes());
    data.push(0xFF);
    data.extend_from_slice(include.as_bytes());
    data
}

proptest! {
    // 256 cases keep `cargo test` fast; `PROPTEST_CASES=100000` searches longer.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_page_parses_without_panicking(flags in 0u8..4, page in markdownish(), include in markdownish()) {
        ppdocs::fuzzing::page(&with_flags(flags, &page, &include));
    }

    #[test]
    fn any_evidence_file_parses_without_panicking(flags in 0u8..2, text in markdownish()) {
        let mut data = vec![flags];
        data.extend_from_slice(text.as_bytes());
        ppdocs::fuzzing::evidence(&data);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..512)) {
        ppdocs::fuzzing::page(&data);
        ppdocs::fuzzing::evidence(&data);
    }
}

/// Inputs the fuzzers once crashed on, named after the target that found them.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut replayed = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("page-") {
            ppdocs::fuzzing::page(&data);
        } else if name.starts_with("evidence-") {
            ppdocs::fuzzing::evidence(&data);
        } else {
            continue;
        }
        replayed += 1;
    }
    assert!(replayed > 0, "no inputs in {}", dir.display());
}
