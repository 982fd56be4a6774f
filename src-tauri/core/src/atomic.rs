//! Files written whole or not at all.
//!
//! A report, an export or an exchange file is written beside its final name
//! under a hidden `.partial` name, synced, then renamed over the final name,
//! so a full disk or a crash never leaves half a file where the officer
//! expects one (nor replaces a good file with a broken one).

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically; on failure nothing is left behind.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| std::io::Error::other("that is a folder, not a file name"))?;
    let tmp = dir.join(format!(".{}.{}.partial", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
