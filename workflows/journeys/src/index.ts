// Every journey workflow the worker registers, exported under its workflow type (camelCase id).
export { abandonedCart } from './abandoned-cart';
