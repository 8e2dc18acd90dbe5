import { describe, expect, it } from 'vitest';
import { createLookupActivities } from '@continuum/activities-lookups';
import { defineLookup } from '@continuum/contracts';
import { productStock, workspaceLookups } from '@continuum/journeys/lookups';
import { stockLookup } from './activities';

const runner = (lookups = workspaceLookups) => createLookupActivities({ warehouse: undefined, lookups, defaults: { timeoutMs: 1000, maxRows: 10 } });

describe('the sales agent’s stock lookup (CONVERSATION_STOCK_LOOKUP)', () => {
  it('is off when unset, and product-stock is in the catalogue taking only stock parameters', () => {
    expect(stockLookup(undefined, workspaceLookups, runner())).toBeUndefined();
    expect([...productStock.params].sort()).toEqual(['product', 'text']);
    expect(stockLookup('product-stock', workspaceLookups, runner())).toBeTypeOf('function');
  });

  it('stops the worker at start, saying what to fix, for a name the catalogue lacks or a lookup taking other parameters', () => {
    expect(() => stockLookup('stock', workspaceLookups, runner())).toThrow(/CONVERSATION_STOCK_LOOKUP names "stock", which is not in the lookup catalogue \(known: loyalty-points, product-stock\)/);
    const byCustomer = defineLookup({ name: 'stock-by-customer', sql: 'SELECT 1 WHERE :user_id = :text', params: ['user_id', 'text'] });
    expect(() => stockLookup('stock-by-customer', [byCustomer], runner([byCustomer]))).toThrow(/takes user_id; a stock lookup may take only workspace_id, text, size, product/);
  });

  it('passes the lookup only the parameters it declares', async () => {
    // No warehouse here: the runner's refusal shows what it was asked with (no InvalidLookupParams).
    const read = stockLookup('product-stock', workspaceLookups, runner())!;
    await expect(read({ workspace_id: 'w', text: 'running shoes', size: '42', product: '' })).rejects.toThrow(/needs a warehouse: set WAREHOUSE_URL/);
  });
});
