-- fingerprint: 58ef98df5b11ac6966b1a377b0e747f5545dda0493c81f4f8080436f962c4592
SELECT
  "t1"."unit_code",
  COUNT(*) AS "in_scope",
  COUNT(*) FILTER(WHERE
    (
      COALESCE("t1"."supplement_count", 0) < 2
    )
    AND (
      (
        "t1"."due_at" IS NULL
      )
      OR CASE
        WHEN (
          "t1"."supplement_requested_at" IS NOT NULL
        )
        AND (
          "t1"."supplement_requested_at" <= CASE
            WHEN (
              "t1"."finished_at" IS NOT NULL
            )
            AND (
              "t1"."finished_at" < CAST($end AS TIMESTAMP)
            )
            THEN "t1"."finished_at"
            ELSE CAST($end AS TIMESTAMP)
          END
        )
        AND (
          (
            "t1"."supplement_completed_at" IS NULL
          )
          OR (
            "t1"."supplement_completed_at" > CASE
              WHEN (
                "t1"."finished_at" IS NOT NULL
              )
              AND (
                "t1"."finished_at" < CAST($end AS TIMESTAMP)
              )
              THEN "t1"."finished_at"
              ELSE CAST($end AS TIMESTAMP)
            END
          )
        )
        THEN "t1"."supplement_requested_at" <= "t1"."due_at"
        WHEN (
          "t1"."supplement_requested_at" IS NOT NULL
        )
        AND (
          "t1"."supplement_requested_at" <= CASE
            WHEN (
              "t1"."finished_at" IS NOT NULL
            )
            AND (
              "t1"."finished_at" < CAST($end AS TIMESTAMP)
            )
            THEN "t1"."finished_at"
            ELSE CAST($end AS TIMESTAMP)
          END
        )
        THEN (
          (
            EPOCH(
              CAST(CASE
                WHEN (
                  "t1"."finished_at" IS NOT NULL
                )
                AND (
                  "t1"."finished_at" < CAST($end AS TIMESTAMP)
                )
                THEN "t1"."finished_at"
                ELSE CAST($end AS TIMESTAMP)
              END AS TIMESTAMP)
            ) - EPOCH(CAST("t1"."supplement_completed_at" AS TIMESTAMP))
          ) + EPOCH(CAST("t1"."supplement_requested_at" AS TIMESTAMP))
        ) <= EPOCH(CAST("t1"."due_at" AS TIMESTAMP))
        ELSE CASE
          WHEN (
            "t1"."finished_at" IS NOT NULL
          )
          AND (
            "t1"."finished_at" < CAST($end AS TIMESTAMP)
          )
          THEN "t1"."finished_at"
          ELSE CAST($end AS TIMESTAMP)
        END <= "t1"."due_at"
      END
    )) AS "on_time",
  COUNT(*) FILTER(WHERE
    COALESCE("t1"."has_complaint", FALSE)
    OR (
      COALESCE("t1"."rating", '') = 'dislike'
    )) AS "complaint_or_dislike",
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
) AS "t1"
GROUP BY
  1