/** What the till passed cannot be recorded (a sale, a refund, a customer, a tender); the message names the field. */
export class InvalidSaleError extends Error {}
