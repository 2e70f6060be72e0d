/// Migration 10: embedding-centroid drift.
///
/// - `dl_embedding_windows`: per window and grouping (keyed like `dl_windows`) the count and the
///   element-wise sum of the embedding vectors, in double precision, so the centroid of any set
///   of windows is `Σ sum / Σ count`. The dimension is part of the key: sums of different
///   dimensions (a changed `drift.embeddings.dimension`) never merge.
/// - `dl_embedding_samples`: per window and grouping the vectors of the `sample_size` events
///   with the smallest hashes of their request ids (a bottom-k sample): merging flushes,
///   members and windows gives exactly the bottom-k of the union, so the MMD's sample of a
///   period does not depend on how its events were split.
/// - `dl_embedding_drift`: the centroid distances and MMD between a reference and a current
///   period, per grouping, as the scheduled evaluation computes them.
enum EmbeddingSQL {
    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS dl_embedding_windows (
            window_start   timestamptz        NOT NULL,
            window_seconds integer            NOT NULL,
            model          text               NOT NULL,
            provider       text               NOT NULL,
            app            text               NOT NULL,
            route          text               NOT NULL,
            tenant         text               NOT NULL,
            user_id        text               NOT NULL,
            team           text               NOT NULL,
            environment    text               NOT NULL,
            model_version  text               NOT NULL,
            labels         jsonb              NOT NULL,
            dimension      integer            NOT NULL,
            vectors        bigint             NOT NULL,
            sum            double precision[] NOT NULL,
            updated_at     timestamptz        NOT NULL DEFAULT now(),
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels, dimension)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS dl_embedding_samples (
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
            vector         real[]      NOT NULL,
            PRIMARY KEY (window_start, window_seconds, model, provider, app, route, tenant, user_id, team,
                         environment, model_version, labels, dimension, sample_hash)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS dl_embedding_drift (
            grouping            jsonb            NOT NULL,
            dimension           integer          NOT NULL,
            reference_start     timestamptz      NOT NULL,
            reference_end       timestamptz      NOT NULL,
            current_start       timestamptz      NOT NULL,
            current_end         timestamptz      NOT NULL,
            reference_count     bigint           NOT NULL,
            current_count       bigint           NOT NULL,
            cosine_distance     double precision,
            euclidean_distance  double precision NOT NULL,
            previous_similarity double precision,
            mmd                 double precision,
            mmd_bandwidth       double precision,
            mmd_p_value         double precision,
            reference_sample    integer          NOT NULL,
            current_sample      integer          NOT NULL,
            evaluated_at        timestamptz      NOT NULL DEFAULT now(),
            PRIMARY KEY (grouping, dimension, current_start, current_end, reference_start, reference_end)
        )
        """,
        "CREATE INDEX IF NOT EXISTS dl_embedding_drift_current ON dl_embedding_drift (current_end)",
    ]
}
