FROM python:3.11-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY templates ./templates
COPY signing ./signing
COPY registry ./registry
COPY examples ./examples
RUN pip install --no-cache-dir .
ENV CONVENANT_DATA_DIR=/data CONVENANT_HOST=0.0.0.0
VOLUME /data
EXPOSE 8000
CMD ["convenant", "serve"]
