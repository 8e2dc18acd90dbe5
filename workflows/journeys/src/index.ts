// Every journey workflow the worker registers.
export { abandonedCart } from './abandoned-cart';
