/**
 * A validator returns undefined when the value is valid, else the reason text neutron-lib's validator returns
 * (the engine wraps it as "Invalid input for <attr>. Reason: <reason>."). A few neutron-lib validators raise instead of
 * returning (e.g. allowed_address_pairs, list_of_any_key_specs_or_none); ours then throw a NeutronError.
 */
export type Validator = (value: unknown) => string | undefined;

/** A converter returns the converted value or throws a NeutronError (usually invalidInput(<neutron-lib's message>)). */
export type Converter = (value: unknown) => unknown;
