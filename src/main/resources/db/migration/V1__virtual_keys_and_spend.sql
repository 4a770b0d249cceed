-- bedrock-gateway schema, version 1. One script for H2 2.x and PostgreSQL: keep to their common SQL.
-- Money is exact (NUMERIC), times are TIMESTAMP WITH TIME ZONE (instants; shown in the session's zone),
-- JSON is text (H2's JSON type stores a bound string as a JSON string literal, not as a document).

-- Virtual keys: settings and the spend of the current budget period; never the secret, only its SHA-256.
CREATE TABLE virtual_keys (
    token_hash            VARCHAR(128)   NOT NULL,
    key_name              VARCHAR(255),
    key_alias             VARCHAR(255),
    models                VARCHAR(65535) DEFAULT '[]' NOT NULL,  -- JSON array of aliases or model ids; [] = all
    max_budget            NUMERIC(20, 10),
    budget_duration       VARCHAR(32),                           -- 30s, 15m, 1h, 7d, 1mo; NULL = never resets
    budget_reset_at       TIMESTAMP WITH TIME ZONE,
    soft_budget           NUMERIC(20, 10),
    rpm_limit             BIGINT,
    tpm_limit             BIGINT,
    max_parallel_requests INTEGER,
    expires_at            TIMESTAMP WITH TIME ZONE,
    user_id               VARCHAR(255),
    team_id               VARCHAR(255),
    metadata              VARCHAR(65535) DEFAULT '{}' NOT NULL,  -- JSON object
    blocked               BOOLEAN        DEFAULT FALSE NOT NULL,
    spend                 NUMERIC(20, 10) DEFAULT 0 NOT NULL,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,     -- last settings change
    changed_at            TIMESTAMP WITH TIME ZONE NOT NULL,     -- last change of any kind (spend too): cache polling
    CONSTRAINT pk_virtual_keys PRIMARY KEY (token_hash),
    CONSTRAINT uq_virtual_keys_key_alias UNIQUE (key_alias)      -- NULLs are distinct on both databases
);
CREATE INDEX ix_virtual_keys_user_id ON virtual_keys (user_id);
CREATE INDEX ix_virtual_keys_team_id ON virtual_keys (team_id);
CREATE INDEX ix_virtual_keys_created_at ON virtual_keys (created_at);
CREATE INDEX ix_virtual_keys_changed_at ON virtual_keys (changed_at);
CREATE INDEX ix_virtual_keys_budget_reset_at ON virtual_keys (budget_reset_at);

-- Hashes deleted or regenerated away, kept a while so that other gateway instances evict them from their caches.
CREATE TABLE removed_keys (
    token_hash VARCHAR(128) NOT NULL,
    removed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_removed_keys PRIMARY KEY (token_hash)
);
CREATE INDEX ix_removed_keys_removed_at ON removed_keys (removed_at);

-- One row per gateway request. Append-only; key_hash etc. are copied, not foreign keys, so that deleting or
-- regenerating a key keeps its history.
CREATE TABLE spend_logs (
    request_id         VARCHAR(128)  NOT NULL,
    key_hash           VARCHAR(128),
    key_alias          VARCHAR(255),
    user_id            VARCHAR(255),
    team_id            VARCHAR(255),
    end_user           VARCHAR(255),
    model_alias        VARCHAR(512),                  -- what the client named
    model_id           VARCHAR(2048),                 -- what went upstream (model id or ARN)
    deployment         VARCHAR(255),
    route              VARCHAR(64),                   -- AWS operation, e.g. ConverseStream
    status             INTEGER       NOT NULL,
    input_tokens       BIGINT        NOT NULL,
    output_tokens      BIGINT        NOT NULL,
    cache_read_tokens  BIGINT        NOT NULL,
    cache_write_tokens BIGINT        NOT NULL,
    cost               NUMERIC(20, 10) NOT NULL,      -- USD
    price_unknown      BOOLEAN       NOT NULL,        -- cost is 0 because no price was known, not because free
    start_time         TIMESTAMP WITH TIME ZONE NOT NULL,
    end_time           TIMESTAMP WITH TIME ZONE NOT NULL,
    latency_ms         BIGINT        NOT NULL,
    ttfb_ms            BIGINT        NOT NULL,        -- -1: no response byte
    streamed           BOOLEAN       NOT NULL,
    CONSTRAINT pk_spend_logs PRIMARY KEY (request_id)
);
-- Every filter is "this key/user/team/end user/model, in this time range": (column, start_time) serves both.
CREATE INDEX ix_spend_logs_start_time ON spend_logs (start_time);
CREATE INDEX ix_spend_logs_key_hash ON spend_logs (key_hash, start_time);
CREATE INDEX ix_spend_logs_user_id ON spend_logs (user_id, start_time);
CREATE INDEX ix_spend_logs_team_id ON spend_logs (team_id, start_time);
CREATE INDEX ix_spend_logs_end_user ON spend_logs (end_user, start_time);
CREATE INDEX ix_spend_logs_model_alias ON spend_logs (model_alias, start_time);
CREATE INDEX ix_spend_logs_model_id ON spend_logs (model_id, start_time);

-- Accumulated spend per end user (the x-end-user-id header); rows appear on first spend.
CREATE TABLE end_user_spend (
    end_user   VARCHAR(255)  NOT NULL,
    spend      NUMERIC(20, 10) DEFAULT 0 NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_end_user_spend PRIMARY KEY (end_user)
);
