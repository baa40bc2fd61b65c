//! Files keep no time finer than the day: the collector sets the access and modification
//! times of what it writes (database, recordings, backups) to midnight UTC of the day, so
//! a file's times cannot tell when a story came in. (The change time, `ctime`, is the
//! kernel's own and cannot be set by a program; docs/deploy.md says what to do about it.)
use std::fs::{File, FileTimes};
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Midnight UTC at the start of today.
pub fn midnight() -> SystemTime {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(seconds - seconds % 86_400)
}

/// Sets the times of the open `file` to today's midnight.
pub fn blur_file(file: &File) -> io::Result<()> {
    let midnight = midnight();
    file.set_times(FileTimes::new().set_accessed(midnight).set_modified(midnight))
}

/// Sets the times of the file or folder at `path` to today's midnight (nothing when it is
/// missing). A folder's times change when a file in it is made or removed.
///
/// By path, never by opening the file: closing any descriptor of a SQLite database (or its
/// `-shm`) would drop the locks SQLite holds on it in this process.
pub fn blur(path: &Path) -> io::Result<()> {
    let midnight = filetime::FileTime::from_system_time(midnight());
    match filetime::set_file_times(path, midnight, midnight) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blurred_file_says_only_the_day() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("verhaal.txt");
        std::fs::write(&path, "x").unwrap();
        blur(&path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        for time in [meta.modified().unwrap(), meta.accessed().unwrap()] {
            let seconds = time.duration_since(UNIX_EPOCH).unwrap();
            assert_eq!(seconds.as_secs() % 86_400, 0);
            assert_eq!(seconds.subsec_nanos(), 0);
        }
        blur(&dir.path().join("missing")).unwrap();
        blur(dir.path()).unwrap();
        let folder = std::fs::metadata(dir.path()).unwrap().modified().unwrap();
        assert_eq!(folder.duration_since(UNIX_EPOCH).unwrap().as_secs() % 86_400, 0, "folders too");
    }
}
