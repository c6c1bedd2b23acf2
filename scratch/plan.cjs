const D=require('/work/main/node_modules/better-sqlite3');
const d=new D(process.argv[2],{readonly:true});
for (const row of d.prepare(`EXPLAIN QUERY PLAN SELECT id FROM (
        SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 1 AND d.lease_until < 5 AND e.disabled = 0
          AND d.endpoint_id NOT IN (SELECT value FROM json_each('[]'))
        ORDER BY d.lease_until LIMIT 10)
      UNION ALL
      SELECT id FROM (
        SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 0 AND d.next_attempt_at <= 5 AND e.disabled = 0
          AND d.endpoint_id NOT IN (SELECT value FROM json_each('[]'))
        ORDER BY d.next_attempt_at LIMIT 10)
      LIMIT 10`).all()) console.log(row.detail);
