/// Migration 16: the queue of texts the sentence encoder embeds for `drift.embeddings.encode_text`.
///
/// `dl_embedding_texts`: per window and grouping (keyed like `dl_embedding_samples`) the texts of
/// events without a vector whose hashes may enter the window's bottom-k sample, written by the
/// flush with the offsets. The encoder takes rows with `FOR UPDATE SKIP LOCKED` (several
/// instances share the queue), stores their vectors in the sample and the sums, and deletes
/// them, in one transaction.
enum EmbeddingTextSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_embedding_texts (
            window_start   timestamptz NOT NULL,
            window_seconds integer     NOT NULL,
            model          text        NOT NULL,
            provider       text        NOT NULL,
            app            text        NOT NULL,
            route          text        NOT NULL,
            tenant         text        NOT NULL,
            user_id        text        NOT NULL,
            team           text        NOT NULL,
            environment    text        NOT NULL,
            model_version  text        NOT NULL,
            labels         jsonb       NOT NULL,
            dimension      integer     NOT NULL,
            sample_hash    bigint      NOT NULL,
            text           text        NOT NULL,
            queued_at      timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels, dimension, sample_hash)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_embedding_texts_queue ON dl_embedding_texts (queued_at)",
    ]
}
