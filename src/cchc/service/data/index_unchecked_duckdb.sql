-- fingerprint: 3cbb4e9efbbc348cf9443f1f581cd3841f178f898a4c68c89f985df2643fa1ff
SELECT
  "t1"."unit_code",
  COUNT(*) AS "in_scope",
  COUNT(*) FILTER(WHERE
    "t1"."on_time") AS "on_time",
  COUNT(*) FILTER(WHERE
    "t1"."on_time" AND NOT (
      "t1"."complaint"
    )) AS "satisfied",
  COUNT(*) FILTER(WHERE
    "t1"."received") AS "received",
  COUNT(*) FILTER(WHERE
    "t1"."received" AND "t1"."eligible") AS "eligible",
  COUNT(*) FILTER(WHERE
    "t1"."received" AND "t1"."eligible" AND "t1"."online") AS "online",
  COUNT(*) FILTER(WHERE
    "t1"."received" AND "t1"."fee") AS "with_fee",
  COUNT(*) FILTER(WHERE
    "t1"."received" AND "t1"."fee" AND "t1"."paid") AS "paid_online",
  COUNT(*) FILTER(WHERE
    "t1"."received" AND "t1"."needs_result") AS "need_result",
  COUNT(*) FILTER(WHERE
    "t1"."received" AND "t1"."needs_result" AND "t1"."e_result") AS "e_result",
  COUNT(*) FILTER(WHERE
    "t1"."received"
    AND "t1"."digitised"
    AND (
      "t1"."e_result" OR NOT (
        "t1"."needs_result"
      )
    )) AS "digitised",
  COUNT(*) FILTER(WHERE
    "t1"."received" AND "t1"."reused") AS "reused"
FROM (
  SELECT
    "t0"."unit_code",
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
    ) AS "on_time",
    COALESCE("t0"."has_complaint", FALSE)
    OR (
      COALESCE("t0"."rating", '') = 'dislike'
    ) AS "complaint",
    "t0"."received_at" >= CAST($start AS TIMESTAMP) AS "received",
    COALESCE("t0"."online_eligible", FALSE) AS "eligible",
    "t0"."channel" = 'online' AS "online",
    COALESCE("t0"."has_fee", FALSE) AS "fee",
    COALESCE("t0"."paid_online", FALSE) AS "paid",
    COALESCE("t0"."requires_result_document", FALSE) AS "needs_result",
    COALESCE("t0"."e_result", FALSE) AS "e_result",
    COALESCE("t0"."digitised", FALSE) AS "digitised",
    COALESCE("t0"."reused_data", FALSE) AS "reused"
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