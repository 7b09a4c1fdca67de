{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
    {#- dbt's persist_docs (model and column descriptions become DuckDB comments), overridden to
        write only the comments that differ from those the relation has. dbt writes them all after
        every run of a model, also when an incremental model kept its table and so its comments:
        in a refresh that was about 340 `comment on` statements and two `describe`s per mart, each
        statement a change of the catalog. Here one query reads the relation's comments
        (duckdb_tables, duckdb_views, duckdb_columns), and only a missing or different comment is
        written, as dbt writes it (alter_relation_comment, alter_column_comment; documented columns
        the relation lacks are warned about by validate_doc_columns as dbt does). -#}
    {%- set want_relation = for_relation and config.persist_relation_docs() and model.description -%}
    {%- set want_columns = for_columns and config.persist_column_docs() and model.columns -%}
    {%- if not (want_relation or want_columns) -%}{{ return(none) }}{%- endif -%}
    {%- set where -%}
        where lower(database_name) = lower('{{ relation.database | replace("'", "''") }}')
        and lower(schema_name) = lower('{{ relation.schema | replace("'", "''") }}')
    {%- endset -%}
    {%- set name = relation.identifier | replace("'", "''") -%}
    {%- set current = run_query(
        "select null as column_name, comment from duckdb_tables() " ~ where ~ " and table_name = '" ~ name ~ "'"
        ~ " union all select null, comment from duckdb_views() " ~ where ~ " and view_name = '" ~ name ~ "'"
        ~ " union all select column_name, comment from duckdb_columns() " ~ where ~ " and table_name = '" ~ name ~ "'") -%}
    {%- set relation_comments, column_comments = [], {} -%}
    {%- for row in current.rows -%}
        {%- if row[0] is none -%}{%- do relation_comments.append(row[1] or '') -%}
        {%- else -%}{%- do column_comments.update({row[0]: row[1] or ''}) -%}{%- endif -%}
    {%- endfor -%}
    {%- if want_relation and relation_comments != [model.description] -%}
        {%- do run_query(alter_relation_comment(relation, model.description)) -%}
    {%- endif -%}
    {%- if want_columns -%}
        {%- set lowered = {} -%}
        {%- for column_name, comment in column_comments.items() -%}{%- do lowered.update({column_name | lower: comment}) -%}{%- endfor -%}
        {%- set documented = validate_doc_columns(relation, model.columns, column_comments.keys() | list) -%}
        {%- set differing = {} -%}
        {%- for column_name, column in documented.items() -%}
            {%- set now = column_comments.get(column_name) if column.get('quote') else lowered.get(column_name | lower) -%}
            {%- if (now or '') != (column.description or '') -%}{%- do differing.update({column_name: column}) -%}{%- endif -%}
        {%- endfor -%}
        {%- if differing -%}
            {%- set sql = alter_column_comment(relation, differing) -%}
            {%- if sql | trim | length > 0 -%}{%- do run_query(sql) -%}{%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
