import { defineLookup, type LookupDefinition } from '@continuum/contracts';

// The workspace's lookups: named, read-only queries against the warehouse (WAREHOUSE_URL) that
// journeys make at send time. The worker runs only lookups listed in `workspaceLookups`.

/** A customer's loyalty balance: one row `{ points, tier }`, or none without an account. */
export const loyaltyPoints = defineLookup({
  name: 'loyalty-points',
  sql: 'SELECT points, tier FROM loyalty_accounts WHERE user_id = :user_id',
  params: ['user_id'],
});

/**
 * Stock by product and size, which the sales agent answers from when the worker runs with
 * CONVERSATION_STOCK_LOOKUP=product-stock: the products whose name or a keyword of theirs the
 * message contains (first), else the product the customer's open sales topic is about. Reads
 * `products (id, name, keywords text[])` and `product_stock (product_id, size, available)`.
 */
export const productStock = defineLookup({
  name: 'product-stock',
  sql: `WITH named AS (
          SELECT p.id, p.name,
                 EXISTS (SELECT 1 FROM unnest(array_append(p.keywords, p.name)) AS k WHERE position(lower(k) IN lower(:text)) > 0) AS in_text
          FROM products p
        )
        SELECT n.name AS product, s.size, s.available
        FROM named n JOIN product_stock s ON s.product_id = n.id
        WHERE n.in_text OR n.name = :product
        ORDER BY n.in_text DESC, n.name, s.size`,
  params: ['text', 'product'],
  maxRows: 20,
});

export const workspaceLookups: LookupDefinition[] = [loyaltyPoints, productStock];
