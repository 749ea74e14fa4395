"""A stand-in job handler for the queue tests: records which process started a job, works for a
while, then stores its result under the job id (so a redelivered job makes no second result)."""
import os
import sys
import time

from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import Conflict
from interlude.jobs import JobQueue


def main(broker_url: str, db_path: str, work_seconds: float) -> None:
    store = SqliteDocumentStore(db_path)
    starts, results = store.collection("starts"), store.collection("results")

    def handle(job):
        starts.insert({"id": f"{job.job_id}:{os.getpid()}", "job_id": job.job_id, "pid": os.getpid(),
                       "redelivered": job.redelivered})
        time.sleep(work_seconds)
        try:
            results.insert({"id": job.job_id, "pid": os.getpid()})
        except Conflict:
            pass  # done before: a redelivery changes nothing

    JobQueue(broker_url, "testjobs").work_forever(handle, lambda job, reason: None)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
