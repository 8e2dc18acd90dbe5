import { registerEnumType } from '@nestjs/graphql';

/** The direction of a sort. */
export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'The direction of a sort',
  valuesMap: {
    ASC: { description: 'Smallest (earliest, alphabetically first) first' },
    DESC: { description: 'Largest (latest, alphabetically last) first' },
  },
});
