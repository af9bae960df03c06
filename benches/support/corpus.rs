//! A generated ppdocs project shaped like the Learn checklists, for benchmarks: checklist
//! pages, evidence records in every status with small attachments, training modules and a
//! framework mapping. Deterministic: the same options give byte-identical files.
//!
//! Used by `examples/gen_corpus.rs` (the command line) and the benchmarks in `benches/`.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Checklist pages (articles).
    pub pages: usize,
    /// Evidence records, spread over the tasks.
    pub evidence: usize,
    /// Training modules (0 for none).
    pub modules: usize,
    pub seed: u64,
}

impl Options {
    /// `pages` pages, twice as many evidence records, one training module per 50 pages.
    pub fn new(pages: usize) -> Self {
        Options {
            pages,
            evidence: pages * 2,
            modules: pages.div_ceil(50).min(200),
            seed: 1,
        }
    }
}

/// What was written.
#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
    pub tasks: usize,
}

/// The day records are dated against: statuses are computed for this day
/// (`ppdocs build --as-of`), so expired and due-for-review records stay so.
pub const AS_OF: &str = "2026-11-28";

const WORDS: &[&str] = &[
    "environment",
    "connector",
    "policy",
    "tenant",
    "maker",
    "flow",
    "app",
    "Dataverse",
    "audit",
    "log",
    "role",
    "access",
    "review",
    "owner",
    "secret",
    "key",
    "vault",
    "sharing",
    "guest",
    "license",
    "admin",
    "center",
    "alert",
    "incident",
    "sign-in",
    "session",
    "device",
    "network",
    "firewall",
    "boundary",
    "data",
    "loss",
    "prevention",
    "label",
    "retention",
    "export",
    "backup",
    "restore",
    "capacity",
    "solution",
    "pipeline",
    "deployment",
    "managed",
    "default",
    "group",
    "security",
    "conditional",
    "risk",
    "token",
    "service",
    "principal",
];

const VERBS: &[&str] = &[
    "Review",
    "Configure",
    "Restrict",
    "Monitor",
    "Enable",
    "Document",
    "Verify",
    "Limit",
    "Assign",
    "Rotate",
    "Block",
    "Audit",
    "Classify",
    "Approve",
    "Track",
];

const LEARN_LINKS: &[&str] = &[
    "/power-platform/admin/security/security-overview",
    "/power-platform/admin/wp-data-loss-prevention",
    "/entra/identity/conditional-access/overview",
    "/azure/sentinel/overview",
    "/power-platform/admin/managed-environment-overview",
    "/purview/sensitivity-labels",
];

const OWNERS: &[&str] = &[
    "Power Platform CoE",
    "Security operations",
    "Identity team",
    "Compliance office",
    "Data protection officer",
];

const FRAMEWORKS: &[(&str, &str)] = &[
    ("GDPR", "General Data Protection Regulation"),
    (
        "HIPAA",
        "Health Insurance Portability and Accountability Act",
    ),
    ("PCI", "PCI DSS 4.0"),
];

/// A small deterministic generator (SplitMix64): the corpus must not change with a
/// dependency's version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `range`.
    fn between(&mut self, low: usize, high_inclusive: usize) -> usize {
        low + (self.next() % (high_inclusive - low + 1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }

    fn words(&mut self, count: usize) -> String {
        let mut text = String::new();
        for i in 0..count {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.pick(WORDS));
        }
        text
    }

    fn sentence(&mut self) -> String {
        let count = self.between(8, 16);
        format!("The {}.", self.words(count))
    }
}

/// The section prefix of section `section` (0-based) of page `page` (1-based): letters
/// only, unique across the site.
fn prefix(page: usize, section: usize) -> String {
    let mut n = page;
    let mut letters = String::new();
    while n > 0 {
        letters.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("P{letters}{}", (b'A' + section as u8) as char)
}

/// Writes the project into `root` (which should be empty or missing).
pub fn generate(root: &Path, options: &Options) -> io::Result<Summary> {
    let mut rng = Rng(options.seed);
    let mut summary = Summary::default();
    let content = root.join("content");
    std::fs::create_dir_all(content.join("checklists"))?;
    let mut write = |path: &Path, text: &str| -> io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
        summary.files += 1;
        summary.bytes += text.len() as u64;
        Ok(())
    };

    write(
        &root.join("ppdocs.toml"),
        &format!(
            "title = \"Generated security checklists\"\ndescription = \"{} generated checklist pages\"\n",
            options.pages
        ),
    )?;
    write(
        &content.join("index.md"),
        "---\ntitle: Generated security checklists\n---\n\nA generated corpus for benchmarks.\n",
    )?;

    // Every task ID, in order, for evidence, training and framework mappings.
    let mut task_ids: Vec<String> = Vec::new();
    for page in 1..=options.pages {
        let text = checklist_page(&mut rng, page, &mut task_ids);
        write(
            &content.join(format!("checklists/{:03}/page-{page:06}.md", page / 1000)),
            &text,
        )?;
    }
    summary.tasks = task_ids.len();

    for record in 0..options.evidence {
        if task_ids.is_empty() {
            break;
        }
        let dir = content.join(format!("evidence/{:03}", record / 1000));
        let task = &task_ids[rng.next() as usize % task_ids.len()];
        let (text, attachment) = evidence_record(&mut rng, record, task);
        write(&dir.join(format!("record-{record:06}.md")), &text)?;
        if let Some((name, body)) = attachment {
            write(&dir.join(name), &body)?;
        }
    }

    if options.modules > 0 {
        write(
            &content.join("training/index.md"),
            "---\ntitle: Training hub\n---\n\nShort modules for makers, developers and admins.\n",
        )?;
    }
    for module in 1..=options.modules {
        let text = training_module(&mut rng, module, &task_ids);
        write(
            &content.join(format!("training/module-{module:04}.md")),
            &text,
        )?;
    }

    if !task_ids.is_empty() {
        write(
            &content.join("frameworks.yaml"),
            &frameworks(&mut rng, &task_ids),
        )?;
    }
    Ok(summary)
}

/// One checklist page: front matter, an intro, 5-7 `##` sections each with a paragraph or two
/// and a `| Done? | Task |` table of 4-8 rows, one PowerShell or KQL block; about 10 KB.
fn checklist_page(rng: &mut Rng, page: usize, task_ids: &mut Vec<String>) -> String {
    let mut text = String::with_capacity(12_000);
    let topic = rng.words(3);
    let _ = write!(
        text,
        "---\ntitle: \"Checklist {page}: {topic}\"\ndescription: Security checklist {page} for the {topic}.\nms.date: 05/14/2025\nms.topic: conceptual\nauthor: generated\n---\n\n\
         # Checklist {page}: {topic}\n\n"
    );
    for _ in 0..2 {
        let _ = writeln!(
            text,
            "{} {} See [the overview]({}) for **background**.\n",
            rng.sentence(),
            rng.sentence(),
            rng.pick(LEARN_LINKS)
        );
    }
    let _ = writeln!(text, "> [!NOTE]\n> {} {}\n", rng.sentence(), rng.sentence());
    let sections = rng.between(5, 7);
    let code_in = rng.between(0, sections - 1);
    for section in 0..sections {
        let prefix = prefix(page, section);
        let title = rng.words(3);
        let _ = writeln!(
            text,
            "## {}{} {{prefix={prefix}}}\n",
            title[..1].to_uppercase(),
            &title[1..]
        );
        for _ in 0..rng.between(1, 2) {
            let _ = writeln!(
                text,
                "{} {} Read [the guidance]({}) and the [admin docs]({}).\n",
                rng.sentence(),
                rng.sentence(),
                rng.pick(LEARN_LINKS),
                rng.pick(LEARN_LINKS)
            );
        }
        text.push_str("| Done? | Task |\n| :-----: | ---- |\n");
        for task in 1..=rng.between(4, 8) {
            let mark = if rng.next().is_multiple_of(3) {
                "&check;"
            } else {
                "&#9744;"
            };
            let _ = writeln!(
                text,
                "| {mark} | {} the **{}** settings for every {} and [document the result]({}). |",
                rng.pick(VERBS),
                rng.words(2),
                rng.words(2),
                rng.pick(LEARN_LINKS),
            );
            task_ids.push(format!("{prefix}-{task:02}"));
        }
        text.push('\n');
        let _ = writeln!(text, "{} {}\n", rng.sentence(), rng.sentence());
        if section == code_in {
            if rng.next().is_multiple_of(2) {
                let _ = writeln!(
                    text,
                    "```powershell\n# Environments of checklist {page}\n$environments = Get-AdminPowerAppEnvironment\nforeach ($env in $environments) {{\n    if ($env.IsDefault -eq $true) {{\n        Write-Output \"Default: $($env.DisplayName)\"\n    }}\n    Get-DlpPolicy -EnvironmentName $env.EnvironmentName | Select-Object DisplayName, Type\n}}\n```\n"
                );
            } else {
                let _ = writeln!(
                    text,
                    "```kusto\n// Sign-ins to Power Platform, checklist {page}\nSigninLogs\n| where TimeGenerated > ago(7d)\n| where AppDisplayName has \"Power Apps\"\n| summarize Attempts = count(), Failures = countif(ResultType != 0) by UserPrincipalName\n| where Failures > 5\n| order by Failures desc\n```\n"
                );
            }
        }
    }
    text
}

/// One evidence record for `task`; some in each status (done, in progress, not applicable,
/// expired, due for review), one in three with a small attachment beside it.
fn evidence_record(rng: &mut Rng, record: usize, task: &str) -> (String, Option<(String, String)>) {
    let owner = rng.pick(OWNERS);
    // Expiring records were collected before the earliest expiry date below.
    let month = rng.between(1, if record % 5 == 4 { 9 } else { 11 });
    let day = rng.between(1, 28);
    let (status, expires, justification) = match record % 5 {
        0 | 1 => ("done", None, None),
        2 => ("in-progress", None, None),
        3 => (
            "not-applicable",
            None,
            Some("The tenant does not use this feature."),
        ),
        // Expired, or due within the review window of the as-of day.
        _ => (
            "done",
            Some(if record % 10 == 4 {
                "2026-10-01"
            } else {
                "2026-12-15"
            }),
            None,
        ),
    };
    let mut text = format!(
        "---\ntitle: Evidence {record} for {task}\ntask: {task}\nstatus: {status}\nowner: {owner}\ncollected: 2026-{month:02}-{day:02}\n"
    );
    if let Some(expires) = expires {
        let _ = writeln!(text, "expires: {expires}");
    }
    if let Some(justification) = justification {
        let _ = writeln!(text, "justification: {justification}");
    }
    if record.is_multiple_of(7) {
        text.push_str("frameworks: [GDPR]\n");
    }
    let attachment = record.is_multiple_of(3).then(|| {
        let name = format!("record-{record:06}-export.csv");
        let mut body = String::from("setting,value,checked\n");
        for row in 0..rng.between(3, 12) {
            let _ = writeln!(body, "{},{},2026-{month:02}-{day:02}", rng.words(2), row);
        }
        (name, body)
    });
    if let Some((name, _)) = &attachment {
        let _ = writeln!(text, "attachments:\n  - {name}");
    }
    let _ = write!(
        text,
        "links: [https://learn.microsoft.com/power-platform/admin/]\n---\n{} {}\n\n- {}\n- {}\n",
        rng.sentence(),
        rng.sentence(),
        rng.sentence(),
        rng.sentence()
    );
    (text, attachment)
}

fn training_module(rng: &mut Rng, module: usize, task_ids: &[String]) -> String {
    let audience = ["makers", "developers", "admins"][module % 3];
    let level = ["beginner", "intermediate", "advanced"][module % 3];
    let mut tasks: Vec<&str> = (0..3)
        .filter(|_| !task_ids.is_empty())
        .map(|_| task_ids[rng.next() as usize % task_ids.len()].as_str())
        .collect();
    tasks.sort_unstable();
    tasks.dedup();
    let mut text = format!(
        "---\ntitle: \"Module {module}: {}\"\naudience: [{audience}]\nduration: {}\nlevel: {level}\ntasks: [{}]\ntags: [{}]\norder: {module}\n---\n\n",
        rng.words(3),
        rng.between(10, 25),
        tasks.join(", "),
        rng.pick(WORDS)
    );
    for heading in 1..=3 {
        let _ = writeln!(
            text,
            "## Part {heading}\n\n{} {} {}\n",
            rng.sentence(),
            rng.sentence(),
            rng.sentence()
        );
    }
    text
}

/// Each framework maps a control to a handful of tasks, one control per 40 tasks.
fn frameworks(rng: &mut Rng, task_ids: &[String]) -> String {
    let mut text = String::from("frameworks:\n");
    for (id, name) in FRAMEWORKS {
        let _ = writeln!(text, "  - id: {id}\n    name: {name}\n    controls:");
        for control in 1..=task_ids.len().div_ceil(40).min(500) {
            let mut tasks: Vec<&str> = (0..4)
                .map(|_| task_ids[rng.next() as usize % task_ids.len()].as_str())
                .collect();
            tasks.sort_unstable();
            tasks.dedup();
            let _ = writeln!(
                text,
                "      - id: \"{id}-{control}\"\n        title: Control {control}\n        tasks: [{}]",
                tasks.join(", ")
            );
        }
    }
    text
}
