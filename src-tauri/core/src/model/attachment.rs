//! Attachments: files kept with an agreement, a clause or a meeting (the
//! signed scan, the minutes, a photo). The rules that need no register are
//! here: the size limit, what type a file is, and the name a file may have
//! on disk when it is written out to be opened.

use serde::{Deserialize, Serialize};

use crate::vocab::AttachmentOwner;

/// The largest file that can be attached, in bytes (50 MiB).
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// The longest name a file written out to be opened gets, in bytes: well
/// under every file system's limit of 255, with room for a copy number.
const DISK_NAME_MAX_BYTES: usize = 120;

/// A file attached to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attachment {
    pub id: String,
    pub owner: AttachmentOwner,
    pub owner_id: String,
    /// The name the file had: user text, shown as it is, never a path.
    pub name: String,
    /// What the file is, from its first bytes (or its name's ending when
    /// those say nothing), e.g. `application/pdf`.
    pub media_type: String,
    pub size: u32,
    /// SHA-256 of the contents, in lower-case hex.
    pub sha256: String,
    /// When it was attached (UTC, RFC 3339).
    pub created_at: String,
}

/// The name a file may have on disk, made from a name a person gave: the
/// last part of a path only; no separators, control characters or
/// characters Windows refuses; no leading dots (hidden files) or trailing
/// dots and spaces; at most [`DISK_NAME_MAX_BYTES`] bytes, cut at a
/// character boundary with the extension kept. Never empty.
pub fn disk_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']);
    let mut out = if trimmed.is_empty() { "attachment".to_owned() } else { trimmed.to_owned() };
    if out.len() > DISK_NAME_MAX_BYTES {
        let ext = match out.rfind('.') {
            Some(i) if out.len() - i <= 10 => out[i..].to_owned(),
            _ => String::new(),
        };
        let mut stem_end = DISK_NAME_MAX_BYTES - ext.len();
        while !out.is_char_boundary(stem_end) {
            stem_end -= 1;
        }
        out = format!("{}{ext}", &out[..stem_end]);
    }
    // Names Windows reserves for devices (a register may be copied there).
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    out
}

/// What a file is: from its first bytes (magic numbers, through the `infer`
/// crate), else from its name's ending for the plain-text formats that have
/// none, else `application/octet-stream`.
pub fn media_type(head: &[u8], name: &str) -> String {
    if let Some(t) = infer::get(head) {
        return t.mime_type().to_owned();
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "txt" => "text/plain",
        "csv" => "text/csv",
        "md" => "text/markdown",
        "json" => "application/json",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        _ => "application/octet-stream",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_names_are_safe() {
        for (given, expected) in [
            ("MoU signed.pdf", "MoU signed.pdf"),
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\x\\scan.png", "scan.png"),
            ("..", "attachment"),
            ("", "attachment"),
            (".bashrc", "bashrc"),
            ("a:b*c?.pdf", "a_b_c_.pdf"),
            ("line\nbreak.txt", "line_break.txt"),
            ("CON.txt", "_CON.txt"),
            ("com1", "_com1"),
            ("تفاهم‌نامه امضاشده.pdf", "تفاهم‌نامه امضاشده.pdf"),
            ("name. ", "name"),
        ] {
            assert_eq!(disk_name(given), expected, "{given:?}");
        }
        let long = format!("{}.pdf", "ب".repeat(200));
        let d = disk_name(&long);
        assert!(d.len() <= DISK_NAME_MAX_BYTES && d.ends_with(".pdf"), "{d}");
    }

    #[test]
    fn media_types_come_from_contents_first() {
        assert_eq!(media_type(b"%PDF-1.7\n", "scan.txt"), "application/pdf");
        assert_eq!(media_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "x"), "image/png");
        assert_eq!(media_type(b"hello", "notes.TXT"), "text/plain");
        assert_eq!(media_type(b"\x00\x01", "blob"), "application/octet-stream");
    }
}
