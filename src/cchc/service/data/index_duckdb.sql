-- fingerprint: 37c8fef76552b5815dc062cd6490ccb0f2e66e065a304b29da4b6b47a8e66c44
SELECT
  "t1"."unit_code",
  COUNT(*) AS "in_scope",
  COUNT(*) FILTER(WHERE
    "t1"."judged_on_time") AS "on_time",
  COUNT(*) FILTER(WHERE
    "t1"."judged_on_time"
    AND NOT (
      COALESCE("t1"."has_complaint", FALSE)
      OR (
        COALESCE("t1"."rating", '') = 'dislike'
      )
    )) AS "satisfied",
  COUNT(*) FILTER(WHERE
    "t1"."received_at" >= CAST($start AS TIMESTAMP)) AS "received",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."online_eligible", FALSE)) AS "eligible",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."online_eligible", FALSE)
    AND (
      "t1"."channel" = 'online'
    )) AS "online",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."has_fee", FALSE)) AS "with_fee",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."has_fee", FALSE)
    AND COALESCE("t1"."paid_online", FALSE)) AS "paid_online",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."requires_result_document", FALSE)) AS "need_result",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."requires_result_document", FALSE)
    AND COALESCE("t1"."e_result", FALSE)) AS "e_result",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."digitised", FALSE)
    AND (
      COALESCE("t1"."e_result", FALSE)
      OR NOT (
        COALESCE("t1"."requires_result_document", FALSE)
      )
    )) AS "digitised",
  COUNT(*) FILTER(WHERE
    (
      "t1"."received_at" >= CAST($start AS TIMESTAMP)
    )
    AND COALESCE("t1"."reused_data", FALSE)) AS "reused",
  COUNT(*) FILTER(WHERE
    (
      "t1"."status" IS NULL
    )
    OR NOT (
      "t1"."status" IN (
        'received',
        'processing',
        'supplement_requested',
        'supplement_completed',
        'finished',
        'returned',
        'refused',
        'stopped',
        'withdrawn'
      )
    )
    OR (
      "t1"."channel" IS NULL
    )
    OR NOT (
      "t1"."channel" IN ('counter', 'online', 'post')
    )
    OR (
      "t1"."unit_code" IS NULL
    )) AS "invalid"
FROM (
  SELECT
    "t0"."dossier_code",
    "t0"."unit_code",
    "t0"."procedure_code",
    "t0"."received_at",
    "t0"."due_at",
    "t0"."finished_at",
    "t0"."status",
    "t0"."channel",
    "t0"."online_eligible",
    "t0"."supplement_count",
    "t0"."supplement_requested_at",
    "t0"."supplement_completed_at",
    "t0"."has_fee",
    "t0"."paid_online",
    "t0"."requires_result_document",
    "t0"."e_result",
    "t0"."digitised",
    "t0"."reused_data",
    "t0"."rating",
    "t0"."has_complaint",
    NOT (
      (
        COALESCE("t0"."supplement_count", 0) >= 2
      )
      AND (
        (
          "t0"."supplement_requested_at" IS NOT NULL
        )
        AND (
          "t0"."supplement_requested_at" <= CASE
            WHEN (
              "t0"."finished_at" IS NOT NULL
            )
            AND (
              "t0"."finished_at" < CAST($end AS TIMESTAMP)
            )
            THEN "t0"."finished_at"
            ELSE CAST($end AS TIMESTAMP)
          END
        )
        AND (
          (
            "t0"."supplement_completed_at" IS NULL
          )
          OR (
            "t0"."supplement_completed_at" > CASE
              WHEN (
                "t0"."finished_at" IS NOT NULL
              )
              AND (
                "t0"."finished_at" < CAST($end AS TIMESTAMP)
              )
              THEN "t0"."finished_at"
              ELSE CAST($end AS TIMESTAMP)
            END
          )
        )
      )
    )
    AND (
      (
        "t0"."due_at" IS NULL
      )
      OR CASE
        WHEN (
          "t0"."supplement_requested_at" IS NOT NULL
        )
        AND (
          "t0"."supplement_requested_at" <= CASE
            WHEN (
              "t0"."finished_at" IS NOT NULL
            )
            AND (
              "t0"."finished_at" < CAST($end AS TIMESTAMP)
            )
            THEN "t0"."finished_at"
            ELSE CAST($end AS TIMESTAMP)
          END
        )
        AND (
          (
            "t0"."supplement_completed_at" IS NULL
          )
          OR (
            "t0"."supplement_completed_at" > CASE
              WHEN (
                "t0"."finished_at" IS NOT NULL
              )
              AND (
                "t0"."finished_at" < CAST($end AS TIMESTAMP)
              )
              THEN "t0"."finished_at"
              ELSE CAST($end AS TIMESTAMP)
            END
          )
        )
        THEN "t0"."supplement_requested_at" <= "t0"."due_at"
        WHEN (
          "t0"."supplement_requested_at" IS NOT NULL
        )
        AND (
          "t0"."supplement_requested_at" <= CASE
            WHEN (
              "t0"."finished_at" IS NOT NULL
            )
            AND (
              "t0"."finished_at" < CAST($end AS TIMESTAMP)
            )
            THEN "t0"."finished_at"
            ELSE CAST($end AS TIMESTAMP)
          END
        )
        THEN (
          (
            EPOCH(
              CAST(CASE
                WHEN (
                  "t0"."finished_at" IS NOT NULL
                )
                AND (
                  "t0"."finished_at" < CAST($end AS TIMESTAMP)
                )
                THEN "t0"."finished_at"
                ELSE CAST($end AS TIMESTAMP)
              END AS TIMESTAMP)
            ) - EPOCH(CAST("t0"."supplement_completed_at" AS TIMESTAMP))
          ) + EPOCH(CAST("t0"."supplement_requested_at" AS TIMESTAMP))
        ) <= EPOCH(CAST("t0"."due_at" AS TIMESTAMP))
        ELSE CASE
          WHEN (
            "t0"."finished_at" IS NOT NULL
          )
          AND (
            "t0"."finished_at" < CAST($end AS TIMESTAMP)
          )
          THEN "t0"."finished_at"
          ELSE CAST($end AS TIMESTAMP)
        END <= "t0"."due_at"
      END
    ) AS "judged_on_time"
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
) AS "t1"
GROUP BY
  1