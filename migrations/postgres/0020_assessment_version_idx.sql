-- Whether anyone was assessed against a framework (can it be deleted?) is asked on every growth
-- page; without this index it read every assessment there is.
CREATE INDEX assessment_version_idx ON assessment (framework_version_id);
