//! The `ppdocs` command line: parses arguments and maps results to exit codes. The work is
//! done by the library (`ppdocs::cmd`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use chrono::NaiveDate;
use ppdocs::cmd::{build, check, init, lock, report};
use ppdocs::config::Target;
use ppdocs::serve;
use ppdocs::shell::{Shell, Verbosity};

/// Rendering makes and frees many small strings and template values on every thread;
/// mimalloc's per-thread heaps do that far faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build the Power Platform security site: checklists, evidence, compliance records.
#[derive(Parser)]
#[command(name = "ppdocs", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

#[derive(Args)]
struct GlobalArgs {
    /// The project folder (holding content/ and ppdocs.toml) [default: current folder]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more detail, such as how long each stage took
    #[arg(short, long, global = true)]
    verbose: bool,
    /// When to use colours
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    /// Only when writing to a terminal
    Auto,
    /// Always, even when output is redirected
    Always,
    /// Never
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into site/ (or --output)
    #[command(
        long_about = "Build the site.\n\nReads content/, ppdocs.toml and themes/ under --root, and writes the site \
        into a temporary folder beside the output; the previous site is replaced only when the whole build \
        succeeded. Exits with status 1 if the project has errors, which are printed with file:line:column."
    )]
    Build {
        /// Where to write the site [default: ROOT/site]
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The URL the site will be published at, e.g. https://contoso.github.io/security/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// The host to shape the output for [default: `target` in ppdocs.toml, else default]
        #[arg(long, value_enum, value_name = "HOST")]
        target: Option<TargetArg>,
        /// Replace the output folder even if ppdocs did not create it
        #[arg(long)]
        force: bool,
        /// Compute task statuses for this day (YYYY-MM-DD) instead of today
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Write the dashboard and every compliance appendix as one self-contained HTML file
    #[command(
        long_about = "Write the dashboard and every compliance appendix as one HTML file.\n\nThe file has its \
        stylesheet inlined, images as data: URIs and no JavaScript, so it can be emailed to an auditor, opened \
        in SharePoint's file viewer, or printed to PDF from any browser. Links to the rest of the site become \
        plain text; attachments are listed with their SHA-256 digests."
    )]
    Report {
        /// The file to write [default: ROOT/compliance-report.html]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the file even if ppdocs did not write it
        #[arg(long)]
        force: bool,
        /// Compute task statuses for this day (YYYY-MM-DD) instead of today
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Validate the project without writing anything (for CI)
    #[command(
        long_about = "Validate the project without writing anything.\n\nParses every page, checks task IDs, \
        includes, links and templates, prints a summary, and exits with status 1 if there are errors."
    )]
    Check {
        /// Output format: text for people, json for scripts
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Compute task statuses for this day (YYYY-MM-DD) instead of today
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// Also fail when this condition is met (repeatable)
        #[arg(long, value_enum, value_name = "CONDITION")]
        deny: Vec<DenyArg>,
        /// Check the output for this host too (SharePoint's path limit, GitHub Pages' size limits)
        #[arg(long, value_enum, value_name = "HOST")]
        target: Option<TargetArg>,
    },
    /// Serve the site at http://127.0.0.1:1111/ for a live preview
    #[command(
        long_about = "Serve the site for a live preview.\n\nBuilds the project into memory (your site/ folder is \
        never touched) and serves it. With --watch, every save of a content, evidence, training, theme or config \
        file rebuilds the site and reloads open browser tabs; a broken file keeps the last good site on screen \
        and shows its errors over it until the next good save."
    )]
    Serve {
        /// Rebuild and reload browsers on every change
        #[arg(short, long)]
        watch: bool,
        /// Port to listen on (0 picks a free one)
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but a loopback address exposes the site to the network
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of relying on file-system events (network drives, WSL2 mounts, containers)
        #[arg(long)]
        poll: bool,
        /// Milliseconds to wait for a burst of changes to settle before rebuilding
        // Editors' saves (a temporary file renamed over the page) settle within a few ms; a
        // longer burst (a `git checkout`) at worst rebuilds twice. Every ms here is latency.
        #[arg(long, default_value_t = 50, value_name = "MS")]
        debounce: u64,
        /// Compute task statuses for this day (YYYY-MM-DD) instead of today
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Pin task IDs to task text in ppdocs.lock, so they survive checklist updates
    #[command(
        long_about = "Pin task IDs to task text in ppdocs.lock.\n\nRun it after `ppdocs init` and whenever you \
        accept an updated checklist: ppdocs then matches tasks to the lock by text, so inserted, removed or \
        reworded rows never move an ID (or the evidence that names it). Commit ppdocs.lock with your content."
    )]
    Lock {
        /// The day recorded for changed wording (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Create a new project: the security checklist, starter training modules, ppdocs.toml, ppdocs.lock
    Init {
        /// Folder to create the project in [default: --root, or the current folder]
        dir: Option<PathBuf>,
        /// Also write a CI workflow that checks, builds and publishes the site (in an
        /// existing project, only the workflow is written)
        #[arg(long, value_enum, value_name = "SERVICE")]
        ci: Option<CiArg>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CiArg {
    /// GitHub Actions, deploying to GitHub Pages (.github/workflows/ppdocs.yml)
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum TargetArg {
    /// Plain files: any web server, a sub-path, or file://
    Default,
    /// GitHub Pages: .nojekyll, content-hashed assets, absolute links on the 404 page
    GithubPages,
    /// A SharePoint Online document library: .aspx pages, names SharePoint accepts, an upload script
    Sharepoint,
}

impl From<TargetArg> for Target {
    fn from(arg: TargetArg) -> Target {
        match arg {
            TargetArg::Default => Target::Default,
            TargetArg::GithubPages => Target::GithubPages,
            TargetArg::Sharepoint => Target::Sharepoint,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DenyArg {
    /// A task's evidence has expired
    Expired,
    /// A done task's evidence expires within the review window
    DueForReview,
    /// There are warnings
    Warnings,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let global = &cli.global;
    match global.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    }
    .write_global();
    let verbosity = if global.quiet {
        Verbosity::Quiet
    } else if global.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let shell = Shell::new(verbosity);
    let root = global.root.clone().unwrap_or_else(|| PathBuf::from("."));

    let result = match cli.command {
        Command::Build {
            output,
            base_url,
            target,
            force,
            as_of,
        } => build::run(
            &build::BuildOptions {
                root,
                output,
                base_url,
                target: target.map(Target::from),
                force,
                as_of,
            },
            &shell,
        ),
        Command::Report {
            output,
            force,
            as_of,
        } => report::run(
            &report::ReportOptions {
                root,
                output,
                as_of,
                force,
            },
            &shell,
        ),
        Command::Check {
            format,
            as_of,
            deny,
            target,
        } => check::run(
            &check::CheckOptions {
                root,
                target: target.map(Target::from),
                format: match format {
                    FormatArg::Text => check::Format::Text,
                    FormatArg::Json => check::Format::Json,
                },
                as_of,
                deny: deny
                    .into_iter()
                    .map(|d| match d {
                        DenyArg::Expired => check::Deny::Expired,
                        DenyArg::DueForReview => check::Deny::DueForReview,
                        DenyArg::Warnings => check::Deny::Warnings,
                    })
                    .collect(),
            },
            &shell,
        ),
        Command::Lock { as_of } => lock::run(&root, as_of, &shell),
        Command::Serve {
            watch,
            port,
            bind,
            open,
            poll,
            debounce,
            as_of,
        } => serve::run(
            &serve::ServeOptions {
                root,
                bind,
                port,
                watch,
                poll,
                debounce: std::time::Duration::from_millis(debounce),
                open,
                as_of,
            },
            &shell,
        ),
        Command::Init { dir, ci } => {
            let ci = ci.map(|CiArg::Github| init::Ci::Github);
            init::run(&dir.unwrap_or(root), ci, &shell).map(|()| true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            shell.error(&err);
            ExitCode::FAILURE
        }
    }
}
