//! The queue in front of each store's writer thread: a teller's story waits here until its
//! group is committed (group commit), then hears how it went.
use std::sync::Mutex;
use std::sync::mpsc;

use super::{Inserted, NewStory, StoreError};

/// A story for the writer thread, and where to send its outcome.
pub struct WriteRequest {
    /// The story to store.
    pub story: NewStory,
    reply: mpsc::Sender<Result<Inserted, StoreError>>,
}

/// Most stories committed in one transaction.
const GROUP_LIMIT: usize = 512;

/// The next group of waiting stories (at least one; `None` when the store is dropped).
pub fn next_group(receiver: &mpsc::Receiver<WriteRequest>) -> Option<Vec<WriteRequest>> {
    let mut group = vec![receiver.recv().ok()?];
    while group.len() < GROUP_LIMIT {
        match receiver.try_recv() {
            Ok(request) => group.push(request),
            Err(_) => break,
        }
    }
    Some(group)
}

/// Answers every teller of a group, after its commit (or its failure).
pub fn answer_group(group: Vec<WriteRequest>, outcome: Result<Vec<Inserted>, StoreError>) {
    match outcome {
        Ok(outcomes) => {
            for (request, outcome) in group.into_iter().zip(outcomes) {
                let _ = request.reply.send(Ok(outcome));
            }
        }
        Err(error) => {
            let message = error.to_string();
            for request in group {
                let error = match &error {
                    StoreError::DiskFull => StoreError::DiskFull,
                    StoreError::Busy => StoreError::Busy,
                    StoreError::Unreachable(reason) => StoreError::Unreachable(reason.clone()),
                    StoreError::Tls(reason) => StoreError::Tls(reason.clone()),
                    _ => StoreError::Database(message.clone()),
                };
                let _ = request.reply.send(Err(error));
            }
        }
    }
}

/// Hands a story to the writer thread and waits until it is committed.
pub fn send_to_writer(writer: &Mutex<mpsc::Sender<WriteRequest>>, story: NewStory) -> Result<Inserted, StoreError> {
    let (reply, answer) = mpsc::channel();
    writer.lock().map_err(|_| StoreError::Stopped)?.send(WriteRequest { story, reply }).map_err(|_| StoreError::Stopped)?;
    answer.recv().map_err(|_| StoreError::Stopped)?
}
