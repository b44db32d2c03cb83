"""The driver script for ``spark-submit``: the ``stopship`` command line as a ``.py`` file.

    DRIVER=$(python -c 'import stopship.engine.submit as m; print(m.__file__)')
    spark-submit --master yarn ... "$DRIVER" match --engine spark \\
        --input hdfs:///customers.parquet --output /data/hits.parquet
"""

from __future__ import annotations

from stopship.cli import main

if __name__ == "__main__":
    main()
