/** Entry point of the owner web app (served at /app by the API; built by web/build.ts). */
import { render } from 'preact';
import { App } from './app';
import { onLinkClick } from './router';
import './styles.css';

document.addEventListener('click', onLinkClick);
render(<App />, document.getElementById('root')!);
