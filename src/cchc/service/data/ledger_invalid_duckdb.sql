-- fingerprint: 3cbb4e9efbbc348cf9443f1f581cd3841f178f898a4c68c89f985df2643fa1ff
SELECT
  *
FROM (
  SELECT
    COUNT(*) AS "rows"
  FROM (
    SELECT
      *
    FROM "dossiers" AS "t0"
    WHERE
      "t0"."unit_code" IS NULL
  ) AS "t1"
) AS "t2"
UNION ALL
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      COUNT(*) AS "rows"
    FROM (
      SELECT
        *
      FROM "dossiers" AS "t0"
      WHERE
        (
          "t0"."status" IS NULL
        )
        OR NOT (
          "t0"."status" IN (
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
    ) AS "t3"
  ) AS "t5"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      COUNT(*) AS "rows"
    FROM (
      SELECT
        *
      FROM "dossiers" AS "t0"
      WHERE
        (
          "t0"."channel" IS NULL
        )
        OR NOT (
          "t0"."channel" IN ('counter', 'online', 'post')
        )
    ) AS "t4"
  ) AS "t6"
) AS "t7"