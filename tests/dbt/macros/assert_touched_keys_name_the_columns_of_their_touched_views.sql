-- Rule: every key of macro touched_keys names a touched view whose columns are the key's columns,
-- in order, so that a relation keyed by it is matched against that view (touched_match); an
-- unknown key is no key (touched_keys(key) stops the run instead of scoping nothing).
{%- for key, spec in touched_keys().items() %}
{%- set view = ref(spec.touched) %}
select '{{ key }}' as failing_key
where (select list(column_name order by ordinal_position) from information_schema.columns
    where table_schema = '{{ view.schema }}' and table_name = '{{ view.identifier }}')
    is distinct from ['{{ spec.columns | join("', '") }}']
union all
select '{{ key }}: its own entry'
where $${{ touched_keys(key) }}$$ <> $${{ spec }}$$
union all
{%- endfor %}
select 'keys' where $${{ touched_keys() | list }}$$ <> $$['report_id', 'body_key', 'peer_group']$$
