-- fingerprint: c4271e872ffd50c2b3559b223cade4b80fdbdb468b544df3720f37ed50cfc40c
SELECT
  "t4"."unit_code",
  COUNT(*) AS "_dossiers",
  SUM(CAST("t4"."supplement_after_due" AS BIGINT)) AS "supplement_after_due",
  SUM(CAST("t4"."supplement_last_day" AS BIGINT)) AS "supplement_last_day",
  SUM(CAST("t4"."impossible_times" AS BIGINT)) AS "impossible_times",
  SUM(CAST("t4"."duplicate_code" AS BIGINT)) AS "duplicate_code",
  SUM(
    CAST((
      "t4"."finished_at" IS NOT NULL
    )
    AND (
      "t4"."finished_at" >= CAST($start AS TIMESTAMP)
    )
    AND (
      "t4"."finished_at" < CAST($end AS TIMESTAMP)
    ) AS BIGINT)
  ) AS "_finished",
  SUM(
    CAST((
      "t4"."finished_at" IS NOT NULL
    )
    AND (
      "t4"."finished_at" >= CAST($start AS TIMESTAMP)
    )
    AND (
      "t4"."finished_at" < CAST($end AS TIMESTAMP)
    )
    AND (
      CAST("t4"."finished_at" AS DATE) = CAST($last_working_day AS DATE)
    ) AS BIGINT)
  ) AS "finished_last_working_day",
  SUM(
    CAST((
      "t4"."finished_at" IS NOT NULL
    )
    AND (
      "t4"."finished_at" >= CAST($start AS TIMESTAMP)
    )
    AND (
      "t4"."finished_at" < CAST($end AS TIMESTAMP)
    )
    AND (
      CAST("t4"."finished_at" AS DATE) IN (SELECT UNNEST(CAST($days_off AS DATE[])))
      OR (
        (
          (
            EXTRACT(hour FROM "t4"."finished_at") * 3600
          ) + (
            EXTRACT(minute FROM "t4"."finished_at") * 60
          ) + EXTRACT(second FROM "t4"."finished_at")
        ) < CAST($open_second AS BIGINT)
      )
      OR (
        (
          (
            EXTRACT(hour FROM "t4"."finished_at") * 3600
          ) + (
            EXTRACT(minute FROM "t4"."finished_at") * 60
          ) + EXTRACT(second FROM "t4"."finished_at")
        ) > CAST($close_second AS BIGINT)
      )
    ) AS BIGINT)
  ) AS "finished_off_hours",
  SUM(
    CAST((
      "t4"."finished_at" IS NOT NULL
    )
    AND (
      "t4"."finished_at" >= CAST($start AS TIMESTAMP)
    )
    AND (
      "t4"."finished_at" < CAST($end AS TIMESTAMP)
    )
    AND (
      "t4"."due_at" IS NOT NULL
    )
    AND (
      EPOCH(CAST("t4"."finished_at" AS TIMESTAMP)) = EPOCH(CAST("t4"."due_at" AS TIMESTAMP))
    ) AS BIGINT)
  ) AS "finished_at_appointment",
  ARRAY_AGG("t4"."dossier_code") FILTER(WHERE
    "t4"."dossier_code" IS NOT NULL AND "t4"."supplement_after_due") AS "codes_supplement_after_due",
  ARRAY_AGG("t4"."dossier_code") FILTER(WHERE
    "t4"."dossier_code" IS NOT NULL AND "t4"."supplement_last_day") AS "codes_supplement_last_day",
  ARRAY_AGG("t4"."dossier_code") FILTER(WHERE
    "t4"."dossier_code" IS NOT NULL AND "t4"."impossible_times") AS "codes_impossible_times",
  ARRAY_AGG("t4"."dossier_code") FILTER(WHERE
    "t4"."dossier_code" IS NOT NULL AND "t4"."duplicate_code") AS "codes_duplicate_code"
FROM (
  SELECT
    "t2"."unit_code",
    "t2"."dossier_code",
    COALESCE(
      EPOCH(CAST("t2"."supplement_requested_at" AS TIMESTAMP)) > EPOCH(CAST("t2"."due_at" AS TIMESTAMP)),
      FALSE
    ) AS "supplement_after_due",
    COALESCE(
      (
        EPOCH(CAST("t2"."supplement_requested_at" AS TIMESTAMP)) >= (
          EPOCH(CAST("t2"."due_at" AS TIMESTAMP)) - 86400
        )
      )
      AND (
        EPOCH(CAST("t2"."supplement_requested_at" AS TIMESTAMP)) <= EPOCH(CAST("t2"."due_at" AS TIMESTAMP))
      ),
      FALSE
    ) AS "supplement_last_day",
    COALESCE(
      EPOCH(CAST("t2"."finished_at" AS TIMESTAMP)) < EPOCH(CAST("t2"."received_at" AS TIMESTAMP)),
      FALSE
    )
    OR COALESCE(
      EPOCH(CAST("t2"."due_at" AS TIMESTAMP)) < EPOCH(CAST("t2"."received_at" AS TIMESTAMP)),
      FALSE
    )
    OR COALESCE(
      EPOCH(CAST("t2"."supplement_requested_at" AS TIMESTAMP)) < EPOCH(CAST("t2"."received_at" AS TIMESTAMP)),
      FALSE
    )
    OR COALESCE(
      EPOCH(CAST("t2"."supplement_completed_at" AS TIMESTAMP)) < EPOCH(CAST("t2"."supplement_requested_at" AS TIMESTAMP)),
      FALSE
    ) AS "impossible_times",
    COALESCE(
      "t2"."dossier_code" IN (
        SELECT
          "t1"."dossier_code"
        FROM (
          SELECT
            "t0"."dossier_code",
            COUNT(*) AS "_n"
          FROM "dossiers" AS "t0"
          GROUP BY
            1
        ) AS "t1"
        WHERE
          "t1"."_n" > 1
      ),
      FALSE
    ) AS "duplicate_code",
    "t2"."finished_at",
    "t2"."due_at"
  FROM (
    SELECT
      *
    FROM "dossiers" AS "t0"
    WHERE
      "t0"."received_at" < CAST($end AS TIMESTAMP)
      AND (
        (
          "t0"."finished_at" IS NULL
        )
        OR (
          "t0"."finished_at" >= CAST($start AS TIMESTAMP)
        )
      )
  ) AS "t2"
) AS "t4"
GROUP BY
  1