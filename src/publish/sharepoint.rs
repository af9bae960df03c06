//! `--target sharepoint`: a SharePoint Online document library shows `.aspx` pages and
//! downloads `.html` ones, rejects some characters and names, limits decoded paths to 400
//! characters, and parses `.aspx` pages for `<% ... %>` code blocks.

/// SharePoint's limit on a decoded path: site, library, folders and file name.
pub const PATH_LIMIT: usize = 400;

/// The upload script written beside the site's pages (and left out of the upload).
pub const UPLOAD_SCRIPT: &str = "upload-to-sharepoint.ps1";

/// Characters SharePoint does not accept in a file or folder name, and `#` and `%`, which
/// it accepts but which break links.
const FORBIDDEN: &[char] = &['"', '*', ':', '<', '>', '?', '/', '\\', '|', '#', '%'];

/// `report.final.pdf` → (`report.final`, `.pdf`); a name without a dot has no extension.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    }
}

/// Each segment of `path` made acceptable, and a page's `.html` turned into `.{extension}`.
pub fn safe_path(path: &str, extension: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let mut out: Vec<String> = segments
        .iter()
        .enumerate()
        .map(|(i, segment)| safe_name(segment, i == 0 && last > 0))
        .collect();
    if let Some(stem) = out[last].strip_suffix(".html") {
        out[last] = format!("{stem}.{extension}");
    }
    out.join("/")
}

/// A file or folder name SharePoint accepts. `root_folder` names a folder at the library
/// root, where `forms` is reserved.
fn safe_name(name: &str, root_folder: bool) -> String {
    let mut name: String = name
        .chars()
        .map(|c| if FORBIDDEN.contains(&c) { '-' } else { c })
        .collect();
    name = name.replace("_vti_", "-vti-");
    if let Some(rest) = name.strip_prefix("~$") {
        name = format!("~-{rest}");
    }
    let name = name.trim_matches(' ').trim_end_matches('.').to_string();
    if name.is_empty() {
        return "_".to_string();
    }
    let lower = name.to_ascii_lowercase();
    let (stem, extension) = split_extension(&name);
    if is_reserved(&stem.to_ascii_lowercase())
        || lower == ".lock"
        || lower == "desktop.ini"
        || (root_folder && lower == "forms")
    {
        return format!("{}_{extension}", stem.trim_start_matches('.'));
    }
    name
}

/// Windows device names, which SharePoint refuses as names (with any extension).
fn is_reserved(stem: &str) -> bool {
    match stem {
        "con" | "prn" | "aux" | "nul" => true,
        _ => {
            let (prefix, digit) = stem.split_at(stem.len().min(3));
            (prefix == "com" || prefix == "lpt")
                && digit.len() == 1
                && digit.chars().all(|c| c.is_ascii_digit())
        }
    }
}

/// Paths longer than SharePoint allows once `site_path` is put in front, with their length.
pub fn too_long<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    site_path: &str,
) -> Vec<(&'a str, usize)> {
    let prefix = site_path.trim_matches('/').chars().count() + 1;
    let mut long: Vec<(&str, usize)> = paths
        .into_iter()
        .map(|p| (p, prefix + p.chars().count()))
        .filter(|&(_, length)| length > PATH_LIMIT)
        .collect();
    long.sort();
    long
}

/// `<%` opens a server code block in an `.aspx` page, which SharePoint rejects; `&lt;%`
/// reads the same in HTML text and attributes (ppdocs writes no inline scripts or styles).
pub fn escape_code_blocks(html: &[u8]) -> Option<Vec<u8>> {
    let needle = b"<%";
    if !html.windows(2).any(|w| w == needle) {
        return None;
    }
    let mut out = Vec::with_capacity(html.len() + 16);
    let mut i = 0;
    while i < html.len() {
        if html[i..].starts_with(needle) {
            out.extend_from_slice(b"&lt;%");
            i += 2;
        } else {
            out.push(html[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The PowerShell script that uploads the site with PnP PowerShell.
pub fn upload_script(site_path: &str, marker: &str) -> String {
    let folder = site_path.trim_matches('/');
    let (site, library_folder) = match folder.split_once('/') {
        Some((sites, rest)) if sites == "sites" || sites == "teams" => match rest.split_once('/') {
            Some((name, rest)) => (format!("{sites}/{name}"), rest.to_string()),
            None => (folder.to_string(), String::new()),
        },
        _ => (String::new(), folder.to_string()),
    };
    UPLOAD_TEMPLATE
        .replace("{SITE}", &site)
        .replace("{FOLDER}", &library_folder)
        .replace("{SCRIPT}", UPLOAD_SCRIPT)
        .replace("{MARKER}", marker)
}

const UPLOAD_TEMPLATE: &str = r#"# Uploads this site to a SharePoint Online document library with PnP PowerShell.
# Written by ppdocs (--target sharepoint). See the README's "SharePoint Online" recipe.
#
# Before the first upload, a SharePoint administrator must allow custom script on the site
# for the duration of the upload (SharePoint only keeps .aspx pages uploaded while it is on):
#   Set-PnPTenantSite -Url https://contoso.sharepoint.com/{SITE} -DenyAddAndCustomizePages:$false
# and turn it off again afterwards (-DenyAddAndCustomizePages:$true).
#
# Usage:
#   Install-Module PnP.PowerShell -Scope CurrentUser
#   ./{SCRIPT} -SiteUrl https://contoso.sharepoint.com/{SITE} -ClientId <app-id>
param(
    [Parameter(Mandatory = $true)] [string] $SiteUrl,
    [Parameter(Mandatory = $true)] [string] $ClientId,
    # The library folder the site goes into.
    [string] $TargetFolder = "{FOLDER}"
)
$ErrorActionPreference = "Stop"

# Copy the site without this script and ppdocs' marker file, then upload the copy.
$staging = Join-Path ([System.IO.Path]::GetTempPath()) ("ppdocs-" + [System.Guid]::NewGuid())
Copy-Item -Path $PSScriptRoot -Destination $staging -Recurse
Remove-Item -Force (Join-Path $staging "{SCRIPT}"), (Join-Path $staging "{MARKER}")

try {
    Connect-PnPOnline -Url $SiteUrl -ClientId $ClientId -Interactive
    Copy-PnPFolder -LocalPath $staging -TargetUrl $TargetFolder -Recurse -Overwrite
    Write-Host "Uploaded to $SiteUrl/$TargetFolder; open index.aspx there."
}
finally {
    Remove-Item -Recurse -Force $staging
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_replaced() {
        assert_eq!(safe_path("a/index.html", "aspx"), "a/index.aspx");
        assert_eq!(
            safe_path("evidence/q1 #2 (50%).pdf", "aspx"),
            "evidence/q1 -2 (50-).pdf"
        );
        assert_eq!(safe_path("evidence/CON.txt", "aspx"), "evidence/CON_.txt");
        assert_eq!(safe_path("evidence/lpt1", "aspx"), "evidence/lpt1_");
        assert_eq!(
            safe_path("evidence/com10.txt", "aspx"),
            "evidence/com10.txt"
        );
        assert_eq!(safe_path("forms/index.html", "aspx"), "forms_/index.aspx");
        assert_eq!(
            safe_path("a/forms/index.html", "aspx"),
            "a/forms/index.aspx"
        );
        assert_eq!(safe_path("a/~$draft.docx", "aspx"), "a/~-draft.docx");
        assert_eq!(safe_path("a/x_vti_y.txt", "aspx"), "a/x-vti-y.txt");
        assert_eq!(safe_path("a/ name. ", "aspx"), "a/name");
        assert_eq!(safe_path("a/desktop.ini", "aspx"), "a/desktop_.ini");
        assert_eq!(safe_path("a/.lock", "aspx"), "a/lock_");
    }

    #[test]
    fn long_paths_are_found_with_the_site_path_in_front() {
        let long = format!("{}/index.aspx", "x".repeat(380));
        let found = too_long(
            [long.as_str(), "a/index.aspx"],
            "sites/sec/Shared Documents/",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "sites/sec/Shared Documents/".len() + long.len());
    }

    #[test]
    fn code_block_openers_are_escaped() {
        assert_eq!(
            escape_code_blocks(b"<p>a <% b %></p>").unwrap(),
            b"<p>a &lt;% b %></p>"
        );
        assert_eq!(escape_code_blocks(b"<p>ok</p>"), None);
    }
}
